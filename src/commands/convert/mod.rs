//! The `convert` command: mapping + inputs -> a validated loader document.

mod plan;
mod read;
mod summary;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::{miette, IntoDiagnostic, WrapErr};

use crate::assemble::{self, DocumentWriter, Header};
use crate::deliver::{self, Defaults, GateVerdict, UploadFlags};
use crate::exit;
use crate::mapping::Mapping;
use crate::model::schema::{Profile, Section};
use crate::model::{Item, Reject};
use crate::validate::{Known, Options, Status, Validator};
use plan::Planned;
use read::{Clients, Counts};

/// Arguments of `convert`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    qload convert --mapping mappings/bank-statement.toml --var property=BIEN-001 releve.csv --upload\n  \
    qload convert --mapping mappings/property-register.toml samples/patrimoine.xlsx -o loader.json\n  \
    qload convert --mapping mappings/fec.toml --var property=BIEN-01 FEC.txt --rejects rejets.csv\n  \
    qload convert --mapping m.toml bank=releve.csv register=biens.xlsx --now 2024-03-01T09:00:00")]
pub struct Args {
    /// The TOML mapping file.
    #[arg(short, long, value_name = "FILE.toml")]
    pub mapping: PathBuf,
    /// Input files, in the order the mapping declares its inputs, or as NAME=PATH.
    #[arg(value_name = "INPUT")]
    pub inputs: Vec<String>,
    /// Where to write the document [default: INPUT-STEM.loader.json]; `-` for stdout.
    #[arg(short, long, value_name = "FILE.json")]
    pub output: Option<PathBuf>,
    /// A variable for constants and templates (`{$property}`), repeatable.
    #[arg(long = "var", value_name = "NAME=VALUE")]
    pub vars: Vec<String>,
    /// A fixed `creDtTm` (RFC 3339, or local Paris time), for reproducible output.
    #[arg(long, value_name = "DATETIME")]
    pub now: Option<String>,
    /// Write every rejected row, with its location and reason, to this CSV file.
    #[arg(long, value_name = "FILE.csv")]
    pub rejects: Option<PathBuf>,
    /// Fail on the first rejected row instead of collecting them.
    #[arg(long)]
    pub strict: bool,
    /// Deliver the document to the partner's S3 bucket once written (see `qload upload`).
    #[arg(long)]
    pub upload: bool,
    /// Partner, environment and delivery settings; `--partner` also sets `inigPtynm`
    /// and `--allow-partial` also lets convert write a partly failing document.
    #[command(flatten)]
    pub delivery: Box<UploadFlags>,
}

/// Runs `convert`.
pub fn run(args: Args) -> miette::Result<ExitCode> {
    let vars = parse_vars(&args.vars)?;
    let mut mapping = Mapping::load_pending(&args.mapping, &vars)?;
    let paths = match plan::input_paths(&mapping, &args.inputs) {
        Ok(paths) => paths,
        Err(err) => {
            return Err(mapping.problems(Default::default()).err().map_or(err, Into::into).into())
        }
    };
    let planned = plan::plan(&mut mapping, &paths)?;
    let header = header(&mapping, &args)?;
    let output = args.output.clone().unwrap_or_else(|| default_output(&paths));
    let known = Known::load(&args.delivery.known)?;
    let run = Conversion::new(&mapping, &args, known);
    if args.upload && output == Path::new("-") {
        return Err(miette!(
            help = "write to a file with -o FILE.json",
            "--upload needs the document in a file, not on stdout"
        ));
    }
    let outcome = run.execute(planned, &header, &output)?;
    let verdict = finish(&args, outcome, &output)?;
    if !args.upload {
        return Ok(exit::code(exit::OK));
    }
    upload(&args, &mapping, &output, verdict)
}

/// Delivers the written document with the mapping's `[loader]` settings as
/// defaults, under the verdict of the validation convert already ran.
fn upload(
    args: &Args,
    mapping: &Mapping,
    output: &Path,
    verdict: GateVerdict,
) -> miette::Result<ExitCode> {
    let loader = &mapping.loader;
    let defaults = Defaults {
        partner: loader.partner.clone(),
        environment: loader.environment.clone(),
        region: loader.region.clone(),
        prefix: loader.prefix.clone(),
    };
    match deliver::deliver_judged(output, &args.delivery, &defaults, verdict) {
        Ok(delivery) => {
            summary::eprint(&format!("{}\n", delivery.summary()));
            if args.delivery.json {
                let text = serde_json::to_string_pretty(&delivery).into_diagnostic()?;
                println!("{text}");
            }
            Ok(exit::code(exit::OK))
        }
        Err(err) if err.exit_status() == exit::FAILURE => Err(err.into()),
        Err(err) => {
            let status = err.exit_status();
            summary::eprint(&format!("{:?}\n", miette::Report::new(err)));
            Ok(exit::code(status))
        }
    }
}

/// `NAME=VALUE` pairs from `--var`.
fn parse_vars(vars: &[String]) -> miette::Result<BTreeMap<String, String>> {
    vars.iter()
        .map(|pair| match pair.split_once('=') {
            Some((name, value)) if !name.trim().is_empty() => {
                Ok((name.trim().to_string(), value.to_string()))
            }
            _ => Err(miette!(
                help = "write `--var property=BIEN-01`",
                "`--var {pair}` is not NAME=VALUE"
            )),
        })
        .collect()
}

/// The header: partner, api key from the environment, timestamp.
fn header(mapping: &Mapping, args: &Args) -> miette::Result<Header> {
    let partner =
        args.delivery.partner.clone().or(mapping.loader.partner.clone()).ok_or_else(|| {
            miette!(
                help =
                    "set `partner = \"...\"` in the mapping's `[loader]` table, or pass --partner",
                "no partner id (`inigPtynm`) for the document"
            )
        })?;
    let variable = &mapping.loader.api_key_env;
    let api_key =
        std::env::var(variable).ok().filter(|k| !k.trim().is_empty()).ok_or_else(|| {
            miette!(
            help = format!("export {variable}=... with the api key Qlower gave the partner"),
            "environment variable `{variable}` is not set: the document needs the partner's api key"
        )
        })?;
    let created = match &args.now {
        Some(text) => assemble::parse_now(text).map_err(|e| miette!("--now: {e}"))?,
        None => assemble::paris_now(),
    };
    Ok(Header { partner, api_key, created })
}

/// `samples/releve.csv` -> `releve.loader.json` in the current directory.
fn default_output(paths: &[(String, PathBuf)]) -> PathBuf {
    let stem =
        paths.first().and_then(|(_, p)| p.file_stem()).and_then(|s| s.to_str()).unwrap_or("loader");
    PathBuf::from(format!("{stem}.loader.json"))
}

/// How many built transactions may wait for the writer thread.
const STREAM_QUEUE: usize = 4096;

/// What a conversion produced.
struct Outcome {
    stats: Vec<(Section, Counts)>,
    rejects: Vec<Reject>,
    places: assemble::Places,
    report: crate::validate::Report,
    partial: PathBuf,
}

/// One conversion's settings and running state.
struct Conversion<'m> {
    mapping: &'m Mapping,
    profile: Profile,
    strict: bool,
    known: Option<Known>,
    stats: BTreeMap<Section, Counts>,
    rejects: Vec<Reject>,
    clients: Clients,
}

impl<'m> Conversion<'m> {
    fn new(mapping: &'m Mapping, args: &Args, known: Known) -> Self {
        Conversion {
            mapping,
            profile: mapping.loader.profile,
            strict: args.strict,
            known: Some(known),
            stats: BTreeMap::new(),
            rejects: Vec::new(),
            clients: Clients::default(),
        }
    }

    /// Reads the in-memory sections, nests them, then streams the document.
    fn execute(
        mut self,
        planned: Vec<Planned>,
        header: &Header,
        output: &Path,
    ) -> miette::Result<Outcome> {
        let mut items: BTreeMap<Section, Vec<Item>> = BTreeMap::new();
        let mut streamed = None;
        for p in planned {
            let map = &self.mapping.sections[p.index];
            if map.section == Section::Transactions && self.mapping.clients.is_none() {
                streamed = Some(p);
                continue;
            }
            let mut list = Vec::new();
            let counts = self.read(p, |item| {
                list.push(item);
                Ok(())
            })?;
            self.stats.insert(map.section, counts);
            items.insert(map.section, list);
        }
        let roots = self.nest(items)?;
        let partial = partial_path(output);
        let file = File::create(&partial)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot create `{}`", partial.display()))?;
        let known = self.known.take().unwrap_or_default();
        let validator = Validator::new(Options {
            profile: self.profile,
            strict: self.strict,
            now: Some(header.created),
            known,
        });
        let mut writer =
            DocumentWriter::start(BufWriter::new(file), header, self.profile, validator)
                .into_diagnostic()?;
        self.write(&mut writer, roots, streamed).inspect_err(|_| {
            let _ = std::fs::remove_file(&partial);
        })?;
        let (_, validator, places) = writer.finish().into_diagnostic()?;
        let report = validator.finish();
        let stats = self.stats.into_iter().collect();
        Ok(Outcome { stats, rejects: self.rejects, places, report, partial })
    }

    /// Reads one planned section, handing its items to `sink`.
    fn read(
        &mut self,
        planned: Planned,
        sink: impl FnMut(Item) -> Result<(), read::ReadError>,
    ) -> Result<Counts, read::ReadError> {
        let map = &self.mapping.sections[planned.index];
        let settings = read::Settings { profile: self.profile, strict: self.strict };
        read::read_section(planned, map, settings, &mut self.clients, &mut self.rejects, sink)
    }

    /// Nests children under parents; orphans become rejects, and counts follow.
    fn nest(
        &mut self,
        mut items: BTreeMap<Section, Vec<Item>>,
    ) -> miette::Result<BTreeMap<Section, Vec<Item>>> {
        let mut take = |s| items.remove(&s).unwrap_or_default();
        let mut declarants = take(Section::Declarants);
        let (nested_props, mut root_props): (Vec<Item>, Vec<Item>) =
            take(Section::Properties).into_iter().partition(|p| p.parent_key.is_some());
        let (nested_docs, root_docs): (Vec<Item>, Vec<Item>) =
            take(Section::Documents).into_iter().partition(|d| d.parent_key.is_some());
        let mut orphans =
            assemble::nest(&mut declarants, take(Section::Associates), Section::Declarants);
        orphans.extend(assemble::nest(&mut declarants, nested_props, Section::Declarants));
        orphans.extend(assemble::nest_documents(&mut declarants, &mut root_props, nested_docs));
        for orphan in orphans {
            let counts = self.stats.entry(orphan.section).or_default();
            counts.written -= 1;
            counts.rejected += 1;
            if self.strict {
                return Err(miette!(
                    help = "fix the row, or run without --strict",
                    "{}: {}",
                    orphan.location,
                    orphan.reason
                ));
            }
            self.rejects.push(orphan);
        }
        let mut roots = BTreeMap::new();
        roots.insert(Section::Declarants, declarants);
        roots.insert(Section::Properties, root_props);
        roots.insert(Section::Documents, root_docs);
        roots.insert(Section::Transactions, take(Section::Transactions));
        Ok(roots)
    }

    /// Writes the sections, in 2.1 layout or grouped by client in 2.2.
    fn write(
        &mut self,
        writer: &mut DocumentWriter<BufWriter<File>>,
        mut roots: BTreeMap<Section, Vec<Item>>,
        mut streamed: Option<Planned>,
    ) -> miette::Result<()> {
        const ORDER: [Section; 4] =
            [Section::Declarants, Section::Properties, Section::Transactions, Section::Documents];
        if self.mapping.clients.is_some() {
            return self.write_clients(writer, roots);
        }
        for section in ORDER {
            writer.open_array(section.key()).into_diagnostic()?;
            if section == Section::Transactions {
                if let Some(planned) = streamed.take() {
                    self.stream(writer, planned)?;
                }
            }
            for item in roots.remove(&section).unwrap_or_default() {
                writer.item(&item).into_diagnostic()?;
            }
            writer.close_array().into_diagnostic()?;
        }
        Ok(())
    }

    /// Root transactions go from the source to the file one by one, in two
    /// threads: this one reads rows and builds items, a second one validates
    /// and writes them, in the same order, through a bounded channel.
    fn stream(
        &mut self,
        writer: &mut DocumentWriter<BufWriter<File>>,
        planned: Planned,
    ) -> miette::Result<()> {
        let progress = progress_bar();
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Item>(STREAM_QUEUE);
        let (counts, written) = std::thread::scope(|scope| {
            let output = scope.spawn(|| -> std::io::Result<()> {
                for item in receiver {
                    progress.inc(1);
                    writer.item(&item)?;
                }
                Ok(())
            });
            // A send fails only when the writer stopped on an error, reported below.
            let counts = self.read(planned, |item| {
                sender.send(item).map_err(|_| {
                    read::ReadError::Write(std::io::Error::other("the writer stopped"))
                })
            });
            drop(sender);
            let written = output
                .join()
                .unwrap_or_else(|_| Err(std::io::Error::other("the writer thread failed")));
            (counts, written)
        });
        written.into_diagnostic().wrap_err("cannot write the document")?;
        let counts = counts?;
        progress.finish_and_clear();
        self.stats.insert(Section::Transactions, counts);
        Ok(())
    }

    /// 2.2: one `clients[]` entry per client key, in order of first appearance.
    fn write_clients(
        &mut self,
        writer: &mut DocumentWriter<BufWriter<File>>,
        mut roots: BTreeMap<Section, Vec<Item>>,
    ) -> miette::Result<()> {
        const ORDER: [Section; 4] =
            [Section::Declarants, Section::Properties, Section::Transactions, Section::Documents];
        writer.open_array("clients").into_diagnostic()?;
        for (key, block) in &self.clients.blocks {
            writer.open_client(block).into_diagnostic()?;
            for section in ORDER {
                writer.open_array(section.key()).into_diagnostic()?;
                let (mine, rest): (Vec<Item>, Vec<Item>) = roots
                    .remove(&section)
                    .unwrap_or_default()
                    .into_iter()
                    .partition(|i| i.client.as_ref() == Some(key));
                roots.insert(section, rest);
                for item in mine {
                    writer.item(&item).into_diagnostic()?;
                }
                writer.close_array().into_diagnostic()?;
            }
            writer.close_client().into_diagnostic()?;
        }
        writer.close_array().into_diagnostic()?;
        Ok(())
    }
}

/// A spinner with the row count, shown only when stderr is a terminal.
fn progress_bar() -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {human_pos} rows ({per_sec})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar
}

/// The document is written next to its destination, then renamed into place.
fn partial_path(output: &Path) -> PathBuf {
    let name = output.file_name().and_then(|n| n.to_str()).unwrap_or("loader.json");
    output.with_file_name(format!(".{name}.partial"))
}

/// Reports, then keeps or drops the document according to the validation.
fn finish(args: &Args, outcome: Outcome, output: &Path) -> miette::Result<GateVerdict> {
    let Outcome { stats, rejects, places, report, partial } = outcome;
    if let Some(path) = &args.rejects {
        summary::write_rejects(path, &rejects)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write `{}`", path.display()))?;
    }
    summary::eprint(&summary::summary(&stats));
    summary::eprint(&summary::rejected_lines(&rejects, args.rejects.as_deref()));
    let refused = report.status != "SUCCESS" && !args.delivery.allow_partial;
    summary::validation(&report, &places);
    if refused {
        let _ = std::fs::remove_file(&partial);
        return Err(summary::Refused { count: report.failed_count }.into());
    }
    if output == Path::new("-") {
        let bytes = std::fs::read(&partial).into_diagnostic()?;
        let _ = std::fs::remove_file(&partial);
        std::io::Write::write_all(&mut std::io::stdout().lock(), &bytes).into_diagnostic()?;
    } else {
        std::fs::rename(&partial, output)
            .into_diagnostic()
            .wrap_err_with(|| format!("cannot write `{}`", output.display()))?;
        summary::eprint(&format!("wrote {}\n", output.display()));
    }
    Ok(match report.status {
        Status::Success => GateVerdict::Success,
        Status::PartialSuccess => GateVerdict::PartialSuccess,
        Status::Error => GateVerdict::Error,
    })
}
