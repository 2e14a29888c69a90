//! "Did you mean": the known actor names nearest to a name the knowledge
//! base does not know, for the messages of `--actor` and `actor`.

use super::{fold, Kb};

/// Names whose similarity to the unknown one is below this are no help.
const MIN_SIMILARITY: f64 = 0.8;

impl Kb {
    /// Up to `n` actor names (canonical names and aliases, as written) most
    /// like `name`, best first; each canonical group appears once. Empty when
    /// nothing is close.
    ///
    /// Similarity is Jaro-Winkler on the folded forms (lower case,
    /// collapsed spaces): it favours a shared beginning, the way people
    /// half-remember names ("Volt Tyhpoon", "lazarous").
    pub fn nearest_actor_names(&self, name: &str, n: usize) -> Vec<String> {
        let wanted = fold(name);
        if wanted.is_empty() {
            return Vec::new();
        }
        let mut scored: Vec<(f64, &str, &str)> = Vec::new();
        for actor in self.actors() {
            let names = std::iter::once(actor.canonical.as_str())
                .chain(actor.aliases.iter().map(|a| a.name.as_str()));
            let best = names
                .map(|candidate| (strsim::jaro_winkler(&wanted, &fold(candidate)), candidate))
                .max_by(|a, b| a.0.total_cmp(&b.0));
            if let Some((score, candidate)) = best {
                if score >= MIN_SIMILARITY {
                    scored.push((score, candidate, actor.canonical.as_str()));
                }
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
        scored
            .into_iter()
            .take(n)
            .map(|(_, candidate, canonical)| {
                if candidate == canonical {
                    canonical.to_string()
                } else {
                    format!("{candidate} ({canonical})")
                }
            })
            .collect()
    }
}

/// The " (did you mean …?)" tail of a message, or nothing.
pub fn did_you_mean(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => format!("; did you mean {one:?}?"),
        many => format!(
            "; did you mean one of: {}?",
            many.iter()
                .map(|n| format!("{n:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misspelt_names_get_suggestions() {
        let kb = Kb::builtin().unwrap();
        let s = kb.nearest_actor_names("Volt Tyhpoon", 3);
        assert_eq!(s.first().map(String::as_str), Some("Volt Typhoon"), "{s:?}");
        let s = kb.nearest_actor_names("vanguard pand", 3);
        assert!(
            s.iter().any(|n| n == "Vanguard Panda (Volt Typhoon)"),
            "{s:?}"
        );
        assert!(kb.nearest_actor_names("zzzzqqqq", 3).is_empty());
        assert!(kb.nearest_actor_names("   ", 3).is_empty());
    }

    #[test]
    fn the_message_tail_reads_well() {
        assert_eq!(did_you_mean(&[]), "");
        assert_eq!(did_you_mean(&["APT28".into()]), "; did you mean \"APT28\"?");
        assert!(did_you_mean(&["a".into(), "b".into()]).contains("one of: \"a\", \"b\"?"));
    }
}
