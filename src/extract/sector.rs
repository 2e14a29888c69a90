//! Which sector triggers name the sector of victims: who was hit, as
//! opposed to a lure's brand ("emails spoofing a bank"), a malware's kind
//! ("banking trojan"), an advisory's audience ("healthcare providers should
//! patch") or a passing mention.
//!
//! A trigger of `src/kb/sectors.tsv` counts when its own words say so, by
//! the rules that make a country a target (the `target` module):
//! 1. a word of targeting governs it, across glue, qualifiers and the other
//!    countries and sectors of a list: "targeting banks", "attacks against
//!    the energy sector", "compromised hospitals, schools and government
//!    agencies", "targets include Japanese banks";
//! 2. a word for victims is placed in it, with a word of attack
//!    ([`ATTACK_STEMS`]) in the sentence: "organizations in the healthcare
//!    sector were hit", "Targets include entities in manufacturing,
//!    automotive, food and beverage and banking";
//! 3. it is followed by a word for victims (not consumers: "bank customers"
//!    are no bank that was hit), with a word of attack in the sentence:
//!    "a ransomware attack on banking institutions";
//! 4. a passive verb of attack follows it: "government agencies were
//!    breached", "hospitals have been targeted".
//!
//! And, whatever the rule, the clause must report: a denial, advice or
//! supposition in it voids the cue ("no evidence of exploitation affecting
//! Western Australian Government networks", "organisations … should
//! patch").
//!
//! Anything else is no evidence: "banking trojan", "a bank-themed lure",
//! "impersonating the Canada Revenue Agency", "the FBI and other government
//! agencies warned…" name no victim. A trigger found in several places
//! counts once any of them names victims.

use super::target;

/// Stems of the words of attack that make victims of the organisations
/// placed in a sector (rules 2 and 3). Narrower than the country rule's:
/// words about the malware or the lure ("trojan", "credential", "lure",
/// "campaign", "threat") say nothing of who was hit.
pub(super) const ATTACK_STEMS: &[&str] = &[
    "attack",
    "target",
    "compromis",
    "breach",
    "hack",
    "phish",
    "victim",
    "infect",
    "intrusion",
    "infiltrat",
    "ransom",
    "espionage",
    "spied",
    "spying",
    "stole",
    "steal",
    "extort",
    "ddos",
    "hit",
    "impacted",
    "against",
];

/// Returns true if and only if the sector trigger `text[start..end]` names
/// the sector of victims (rules in the module documentation). `spans` holds
/// the earlier country and sector mentions, in text order: a look-back
/// crosses them as items of a list.
pub(super) fn is_victim(text: &str, start: usize, end: usize, spans: &[(usize, usize)]) -> bool {
    target::is_victim_sector(text, start, end, spans, ATTACK_STEMS)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sector trigger is the first occurrence of `trigger` in `text`;
    /// the earlier mentions are those of a few other sector phrases and
    /// countries, as the extractor passes them.
    fn victim(text: &str, trigger: &str) -> bool {
        let start = text.find(trigger).expect("trigger in text");
        let mut spans: Vec<(usize, usize)> = [
            "manufacturing",
            "automotive",
            "hospitals",
            "schools",
            "pharmaceutical",
            "Japanese",
        ]
        .iter()
        .flat_map(|c| text.match_indices(c).map(|(i, m)| (i, i + m.len())))
        .filter(|&(_, e)| e <= start)
        .collect();
        spans.sort_unstable();
        is_victim(text, start, start + trigger.len(), &spans)
    }

    #[test]
    fn targeting_words_govern_the_sector() {
        assert!(victim("The gang is targeting banks in Chile.", "banks"));
        assert!(victim(
            "attacks against the energy sector continued",
            "energy sector"
        ));
        assert!(victim(
            "It compromised hospitals, schools and government agencies.",
            "government agencies"
        ));
        assert!(victim(
            "Targets include Japanese banks and insurers.",
            "banks"
        ));
        assert!(victim(
            "a group focused on attacking the health, pharmaceutical, technological, manufacturing and logistics sectors",
            "logistics"
        ));
    }

    #[test]
    fn victims_placed_in_the_sector() {
        assert!(victim(
            "Targets include entities in manufacturing, automotive, food and beverage, entertainment and media, banking, insurance, and agriculture.",
            "banking"
        ));
        assert!(victim(
            "Organizations in the healthcare sector were hit by ransomware.",
            "healthcare sector"
        ));
        // No word of attack: a description, not an incident.
        assert!(!victim(
            "Organizations in the healthcare sector use this software.",
            "healthcare sector"
        ));
    }

    #[test]
    fn passive_verbs_of_attack() {
        assert!(victim(
            "Several government agencies were breached in May.",
            "government agencies"
        ));
        assert!(victim("Hospitals have been targeted.", "Hospitals"));
        assert!(!victim("Hospitals have been warned.", "Hospitals"));
    }

    #[test]
    fn lures_malware_kinds_and_audiences_are_no_victims() {
        assert!(!victim(
            "Zeus is a banking trojan that steals credentials.",
            "banking"
        ));
        assert!(!victim(
            "The lure impersonates a bank and delivers malware.",
            "bank"
        ));
        assert!(!victim("a bank-themed phishing lure", "bank"));
        assert!(!victim(
            "The FBI and other government agencies warned of ransomware.",
            "government agencies"
        ));
        assert!(!victim(
            "The malware targets bank customers in Italy.",
            "bank"
        ));
    }

    fn sectors(text: &str) -> Vec<String> {
        let kb = crate::kb::Kb::builtin().unwrap();
        crate::extract::entities_in_text(text, &kb).sectors
    }

    /// Verbs and nouns of attack beyond "target" and "attack on", and
    /// victims named as resources, personnel or targets.
    #[test]
    fn more_ways_of_naming_the_attacked() {
        assert_eq!(
            sectors("The RAT was used against Indian diplomatic and military resources."),
            ["defense", "government"]
        );
        assert_eq!(
            sectors("The attack began as a compromise of a third party law firm."),
            ["legal"]
        );
        assert_eq!(
            sectors("The system was used to spy on political activists."),
            ["civil-society"]
        );
        assert_eq!(
            sectors("It was used during the targeting of critical U.S. utility providers."),
            ["energy"]
        );
        assert_eq!(
            sectors("The group runs espionage operations against companies in the gaming sector."),
            ["technology"]
        );
        assert_eq!(
            sectors("Targets include entities in entertainment and media, banking and insurance."),
            ["financial", "media"]
        );
        // The same words without an attack name no victim.
        assert!(sectors("Utility providers and the gaming sector grew in 2023.").is_empty());
        assert!(sectors("Military resources were moved to the border.").is_empty());
    }

    #[test]
    fn denied_advised_or_supposed_victims_are_none() {
        assert!(!victim(
            "There is no evidence of exploitation affecting Western Australian Government networks at the time of publishing.",
            "Government networks"
        ));
        assert!(!victim(
            "Attackers did not target government entities.",
            "government entities"
        ));
        assert!(!victim(
            "Healthcare providers should patch, as attackers exploit the flaw.",
            "Healthcare providers"
        ));
        assert!(!victim(
            "The tool could be used against hospitals.",
            "hospitals"
        ));
    }
}
