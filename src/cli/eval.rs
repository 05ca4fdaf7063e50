//! `guihua eval`: the mid-term table (text, JSON, CSV, Markdown, Excel) and
//! its charts.

use super::{as_of, load_model, method, title, write_output, Ctx, Exit, Judge};
use clap::{Args, ValueEnum};
use guihua::desk::{chart, xlsx};
use guihua::{eval, report};
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, ValueEnum, PartialEq)]
enum Format {
    Table,
    Json,
    Csv,
    Md,
    /// An Excel workbook (needs `-o FILE`)
    Xlsx,
}

/// Arguments of `eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    #[command(flatten)]
    judge: Judge,
    /// Output format
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
    /// Write the output to FILE instead of standard output (needed for xlsx)
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<PathBuf>,
    /// Also write one SVG chart per indicator into DIR (created when missing)
    #[arg(long, value_name = "DIR")]
    charts: Option<PathBuf>,
}

pub fn run(a: EvalArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    if a.format == Format::Xlsx && a.output.is_none() {
        eprintln!(
            "error: Excel 文件是二进制数据，不能输出到终端，请用 `-o 文件名.xlsx` 指定输出文件 \
             (an Excel workbook is binary: name the file to write with `-o FILE.xlsx`)"
        );
        return Err(Exit::Usage);
    }
    let model = load_model(ctx)?;
    let m = method(&model, &a.judge)?;
    let p = as_of(&model, &a.judge)?;
    let ev = eval::evaluate(&model, m, p);
    let r = report::build(&model, &ev);
    let out: Vec<u8> = match a.format {
        Format::Table => report::table(&r).into_bytes(),
        Format::Json => {
            (serde_json::to_string_pretty(&r).expect("report serializes") + "\n").into_bytes()
        }
        Format::Csv => report::csv(&r).into_bytes(),
        Format::Md => report::markdown(&r).into_bytes(),
        Format::Xlsx => xlsx::workbook(&r, &title(ctx, &model)).map_err(|e| {
            eprintln!("error: 无法生成 Excel 文件 (cannot build the workbook): {e}");
            Exit::Usage
        })?,
    };
    if let Some(dir) = &a.charts {
        write_charts(dir, &chart::charts(&model, &ev))?;
    }
    write_output(a.output.as_deref(), &out)?;
    Ok(Exit::Success)
}

/// Writes one SVG per chart into `dir`, named by the indicator's id.
fn write_charts(dir: &Path, charts: &[chart::Chart]) -> Result<(), Exit> {
    let fail = |e: std::io::Error, p: &Path| {
        eprintln!(
            "error: 无法写入图表 `{}` (cannot write the chart): {e}",
            p.display()
        );
        Exit::Usage
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(e, dir))?;
    let names = chart::file_names(charts);
    for (c, name) in charts.iter().zip(&names) {
        let p = dir.join(name);
        super::write_atomic(&p, chart::svg(c).as_bytes()).map_err(|e| fail(e, &p))?;
    }
    eprintln!("已写入 {} 张指标图表到 `{}`", charts.len(), dir.display());
    Ok(())
}
