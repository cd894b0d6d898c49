//! Ids kept compactly for a million objects: uniqueness within a section and
//! links that may point forward, judged once the whole document is read.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};

use crate::model::schema::Section;

/// The ids seen in one section, as 128-bit fingerprints (16 bytes an id, whatever
/// its length). Two different ids share a fingerprint with odds near 1e-26 at a
/// million ids: a false duplicate is not a practical concern.
#[derive(Debug, Default)]
pub(crate) struct IdSet {
    seen: HashSet<u128>,
}

impl IdSet {
    /// Adds an id; false when it was already there.
    pub fn insert(&mut self, id: &str) -> bool {
        self.seen.insert(fingerprint(id))
    }

    /// True when the id was seen.
    pub fn contains(&self, id: &str) -> bool {
        self.seen.contains(&fingerprint(id))
    }
}

/// Two runs of the standard hasher with fixed keys and distinct prefixes.
fn fingerprint(id: &str) -> u128 {
    let half = |salt: u8| {
        let mut hasher = std::hash::DefaultHasher::new();
        salt.hash(&mut hasher);
        id.hash(&mut hasher);
        hasher.finish()
    };
    (u128::from(half(0)) << 64) | u128::from(half(1))
}

/// A link that could not be resolved when its object was judged: the target
/// may come later in the document.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Pending {
    /// The object's rank in the whole document, to keep errors in order.
    pub order: u64,
    /// The object's rank within its section.
    pub index: u32,
    pub section: Section,
    /// The JSON key holding the link.
    pub field: &'static str,
    /// The linked section.
    pub target_section: Section,
    /// The linked id, interned.
    pub target: u32,
    /// The object's own id, in the id arena.
    pub id: u32,
    /// True when the object already failed for another reason.
    pub failed: bool,
}

/// Unresolved links with their texts stored once.
#[derive(Debug, Default)]
pub(crate) struct Links {
    pub pending: Vec<Pending>,
    targets: Vec<Box<str>>,
    by_target: HashMap<Box<str>, u32>,
    ids: String,
    id_ends: Vec<usize>,
}

impl Links {
    /// Stores a target id once and returns its number.
    pub fn intern(&mut self, target: &str) -> u32 {
        if let Some(&n) = self.by_target.get(target) {
            return n;
        }
        let n = self.targets.len() as u32;
        self.targets.push(target.into());
        self.by_target.insert(target.into(), n);
        n
    }

    /// Stores an object id and returns its number.
    pub fn store_id(&mut self, id: &str) -> u32 {
        self.ids.push_str(id);
        self.id_ends.push(self.ids.len());
        (self.id_ends.len() - 1) as u32
    }

    /// The target id of a number from `intern`.
    pub fn target(&self, n: u32) -> &str {
        &self.targets[n as usize]
    }

    /// The object id of a number from `store_id`.
    pub fn id(&self, n: u32) -> &str {
        let n = n as usize;
        let start = if n == 0 { 0 } else { self.id_ends[n - 1] };
        &self.ids[start..self.id_ends[n]]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_seen_once() {
        let mut set = IdSet::default();
        assert!(set.insert("T-1"));
        assert!(!set.insert("T-1"));
        assert!(set.insert("T-10"));
        assert!(set.contains("T-10"));
        assert!(!set.contains("T-2"));
    }

    #[test]
    fn links_store_texts_once() {
        let mut links = Links::default();
        assert_eq!(links.intern("P-1"), links.intern("P-1"));
        let a = links.store_id("T-1");
        let b = links.store_id("");
        let c = links.store_id("T-3");
        assert_eq!((links.id(a), links.id(b), links.id(c)), ("T-1", "", "T-3"));
    }
}
