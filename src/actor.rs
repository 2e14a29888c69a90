//! The actor card: who an actor is (canonical name, aliases, origin,
//! motivation, ATT&CK id, from the knowledge base) and how the index reports
//! it (report count, first and last dates, top targets and sectors).

use crate::error::{Error, Result};
use crate::index::schema::Fields;
use crate::kb::{Actor, Kb, Resolved};
use crate::search::{actor_stats, ActorStats};
use tantivy::Searcher;

/// One actor's card.
#[derive(Debug, Clone)]
pub struct ActorCard<'a> {
    /// The actor, from the knowledge base.
    pub actor: &'a Actor,
    /// The name of its origin country, when the knowledge base knows it.
    pub origin_name: Option<&'a str>,
    /// Its reports in the index (`None` without an index).
    pub stats: Option<ActorStats>,
}

/// The cards of every actor `name` (canonical name or alias, any case)
/// names: one, or several when the alias is claimed by several actors.
/// Errors with [`Error::Filter`] when no actor has that name.
pub fn actor_cards<'a>(
    kb: &'a Kb,
    index: Option<(&Searcher, &Fields)>,
    name: &str,
) -> Result<Vec<ActorCard<'a>>> {
    let actors: Vec<&Actor> = match kb.resolve_actor(name) {
        Resolved::One(a) => vec![a],
        Resolved::Many(list) => list,
        Resolved::Unknown => {
            return Err(Error::Filter(format!(
                "no actor is called {name:?}{}",
                crate::kb::suggest::did_you_mean(&kb.nearest_actor_names(name, 3))
            )));
        }
    };
    actors
        .into_iter()
        .map(|actor| {
            let stats = match index {
                Some((searcher, fields)) => Some(actor_stats(searcher, fields, &actor.canonical)?),
                None => None,
            };
            let origin_name = actor
                .origin
                .as_deref()
                .and_then(|c| kb.resolve_country(c))
                .map(|c| c.name.as_str());
            Ok(ActorCard {
                actor,
                origin_name,
                stats,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_and_unknown_names_fail() {
        let kb = Kb::builtin().unwrap();
        let cards = actor_cards(&kb, None, "vanguard panda").unwrap();
        assert_eq!(cards.len(), 1);
        assert_eq!(cards[0].actor.canonical, "Volt Typhoon");
        assert_eq!(cards[0].origin_name, Some("China"));
        assert!(cards[0].stats.is_none());
        assert!(matches!(
            actor_cards(&kb, None, "no such actor xyz"),
            Err(Error::Filter(_))
        ));
    }
}
