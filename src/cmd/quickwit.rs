//! `threatdex quickwit`: prints the Quickwit index config generated from
//! the schema, or creates the index on a cluster.

use crate::cli::{QuickwitArgs, QuickwitCommand};
use anyhow::{Context, Result};
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use threatdex::remote::{client::Client, create_index, mapping, Target};

/// Index id of `config` without `--index`.
const DEFAULT_ID: &str = "threatdex";

pub fn run(index: Option<&Path>, args: QuickwitArgs) -> Result<ExitCode> {
    let id = index.map(|p| p.to_string_lossy().into_owned());
    match args.command {
        QuickwitCommand::Config => {
            let id = id.unwrap_or_else(|| DEFAULT_ID.to_string());
            threatdex::remote::check_index_id(&id).map_err(threatdex::Error::RemoteAddress)?;
            let yaml = mapping::to_yaml(&mapping::index_config(&id)?);
            let mut out = std::io::stdout().lock();
            out.write_all(yaml.as_bytes())?;
            out.flush()?;
        }
        QuickwitCommand::Init(a) => {
            let target = if a.url.starts_with(threatdex::remote::SCHEME) {
                Target::parse(&a.url)?
            } else {
                let id = id.ok_or_else(|| {
                    threatdex::Error::RemoteAddress(
                        "quickwit init needs the index id: --index ID".into(),
                    )
                })?;
                Target::from_url(&a.url, &id)?
            };
            let client = Client::new(&target.base_url());
            create_index(&client, &target.index)
                .with_context(|| format!("creating the index {target}"))?;
            eprintln!("threatdex: created {target}");
            println!("{target}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
