//! A real S3 server for the upload tests: `s3s-fs` served in-process on
//! 127.0.0.1 with SigV4 signatures checked (`SimpleAuth`), plus what the tests
//! need to look inside it (objects, content types, leftover parts).

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::pin::Pin;

use aws_sdk_s3::config::{BehaviorVersion, Credentials, Region};
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto::Builder as ConnBuilder;
use s3s::access::{S3Access, S3AccessContext};
use s3s::auth::SimpleAuth;
use s3s::path::S3Path;
use s3s::service::{S3Service, S3ServiceBuilder};
use tokio::net::TcpListener;

/// The access key id the server knows.
pub const ACCESS_KEY: &str = "QLOADTESTACCESSKEY01";
/// Its secret.
pub const SECRET_KEY: &str = "qload-test-secret-never-printed";

/// A running server; it stops when dropped.
pub struct S3Server {
    pub addr: SocketAddr,
    root: tempfile::TempDir,
    runtime: tokio::runtime::Runtime,
}

impl S3Server {
    /// Starts a server holding these (empty) buckets.
    pub fn start(buckets: &[&str]) -> S3Server {
        let root = tempfile::tempdir().expect("server root");
        for bucket in buckets {
            std::fs::create_dir(root.path().join(bucket)).expect("bucket directory");
        }
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("server runtime");
        let service = service(root.path());
        let listener = runtime.block_on(TcpListener::bind("127.0.0.1:0")).expect("bind");
        let addr = listener.local_addr().expect("server address");
        runtime.spawn(serve(listener, service));
        S3Server { addr, root, runtime }
    }

    /// `http://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The server's runtime, for helpers that run next to it (the proxy).
    pub fn runtime(&self) -> &tokio::runtime::Runtime {
        &self.runtime
    }

    /// An object's bytes and content type, fetched with a signed GET.
    pub fn object(&self, bucket: &str, key: &str) -> (Vec<u8>, Option<String>) {
        let client = self.client();
        self.runtime.block_on(async {
            let got = client.get_object().bucket(bucket).key(key).send().await.expect("GET");
            let content_type = got.content_type().map(str::to_string);
            let bytes = got.body.collect().await.expect("body").into_bytes().to_vec();
            (bytes, content_type)
        })
    }

    /// The keys in a bucket, sorted.
    pub fn keys(&self, bucket: &str) -> Vec<String> {
        let client = self.client();
        let listed = self
            .runtime
            .block_on(client.list_objects_v2().bucket(bucket).send())
            .expect("list objects");
        let mut keys: Vec<String> =
            listed.contents().iter().filter_map(|o| o.key().map(str::to_string)).collect();
        keys.sort();
        keys
    }

    /// How many multipart parts are stored and not assembled or aborted.
    pub fn leftover_parts(&self) -> usize {
        let entries = std::fs::read_dir(self.root.path()).expect("server root");
        entries
            .filter_map(Result::ok)
            .filter(|e| e.file_name().to_string_lossy().starts_with(".upload_id-"))
            .count()
    }

    /// A client with the right credentials, path-style, for inspection.
    fn client(&self) -> aws_sdk_s3::Client {
        let config = aws_sdk_s3::Config::builder()
            .behavior_version(BehaviorVersion::latest())
            .region(Region::new("eu-west-1"))
            .endpoint_url(self.url())
            .force_path_style(true)
            .credentials_provider(Credentials::new(ACCESS_KEY, SECRET_KEY, None, None, "test"))
            .build();
        aws_sdk_s3::Client::from_conf(config)
    }
}

/// The S3 service over the file system, with signatures checked.
fn service(root: &Path) -> S3Service {
    let fs = s3s_fs::FileSystem::new(root).expect("s3s-fs");
    let mut builder = S3ServiceBuilder::new(fs);
    builder.set_auth(SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
    builder.set_access(BucketsMustExist { root: root.to_path_buf() });
    builder.build()
}

/// S3 answers `NoSuchBucket` to a write into a missing bucket, where s3s-fs
/// would create the directory: this access check restores the rule (and
/// keeps s3s's own: anonymous requests are denied).
struct BucketsMustExist {
    root: PathBuf,
}

impl BucketsMustExist {
    /// The verdict on one request.
    fn judge(&self, cx: &S3AccessContext<'_>) -> s3s::S3Result<()> {
        if cx.credentials().is_none() {
            return Err(s3s::s3_error!(AccessDenied, "Signature is required"));
        }
        let bucket = match cx.s3_path() {
            S3Path::Bucket { bucket } | S3Path::Object { bucket, .. } => bucket,
            S3Path::Root => return Ok(()),
        };
        if self.root.join(&**bucket).is_dir() {
            Ok(())
        } else {
            Err(s3s::s3_error!(NoSuchBucket))
        }
    }
}

/// The trait is declared with `async_trait`; this is its expanded form.
impl S3Access for BucketsMustExist {
    fn check<'life0, 'life1, 'life2, 'async_trait>(
        &'life0 self,
        cx: &'life1 mut S3AccessContext<'life2>,
    ) -> Pin<Box<dyn Future<Output = s3s::S3Result<()>> + Send + 'async_trait>>
    where
        'life0: 'async_trait,
        'life1: 'async_trait,
        'life2: 'async_trait,
        Self: 'async_trait,
    {
        let verdict = self.judge(cx);
        Box::pin(async move { verdict })
    }
}

/// Accepts connections and serves each with hyper.
async fn serve(listener: TcpListener, service: S3Service) {
    while let Ok((socket, _)) = listener.accept().await {
        let service = service.clone();
        tokio::spawn(async move {
            let builder = ConnBuilder::new(TokioExecutor::new());
            let _ = builder.serve_connection(TokioIo::new(socket), service).await;
        });
    }
}

/// A loopback address nothing listens on (the port was bound, then freed).
pub fn closed_port() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("address");
    drop(listener);
    format!("http://{addr}")
}
