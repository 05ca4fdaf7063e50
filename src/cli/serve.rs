//! `guihua serve`: the planner's desk in a browser, on this machine. The
//! server is [`guihua::desk::serve`]; this command reads the workspace,
//! says what is wrong with it, binds the port and runs the server.

use super::{as_of, method, title, Ctx, Exit, Judge};
use clap::Args;
use guihua::desk::serve;
use guihua::search::store;
use std::net::{IpAddr, SocketAddr};

/// Arguments of `serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    judge: Judge,
    /// Port to listen on (0: any free port, printed at start)
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to listen on; only this machine can connect unless told otherwise
    #[arg(long, default_value = "127.0.0.1")]
    host: IpAddr,
}

pub fn run(a: ServeArgs, ctx: &Ctx) -> Result<Exit, Exit> {
    let corpus = ctx.corpus()?.clone();
    let files = ctx.rule_files(None)?;
    // The rules without their quotes checked: the search index's words,
    // and the names of methods and periods, said at start as `eval` does.
    let words = guihua::load::load_texts(files.clone(), None).model;
    let title = match words.as_ref() {
        Some(model) => {
            method(model, &a.judge)?;
            as_of(model, &a.judge)?;
            title(ctx, model)
        }
        None => ctx
            .workspace
            .as_ref()
            .map(|w| {
                w.config
                    .title
                    .clone()
                    .unwrap_or_else(|| w.config.name.clone())
            })
            .unwrap_or_else(|| "guihua".to_string()),
    };
    let jsonl = match ctx.corpus_path() {
        Some(dir) => store::jsonl_files(&dir).map_err(|e| {
            eprintln!("error: {e}");
            Exit::Usage
        })?,
        None => Vec::new(),
    };
    let started = serve::start(serve::Setup {
        title,
        corpus,
        jsonl,
        files,
        rules_path: ctx.rules_path(None),
        words,
        method: a.judge.method.clone(),
        as_of: a.judge.as_of.clone(),
        host: a.host,
    })
    .map_err(|e| {
        eprintln!("error: {e}");
        Exit::Usage
    })?;
    if let Some(diagnostics) = &started.diagnostics {
        eprint!("{diagnostics}");
        eprintln!(
            "注意：规则有错误，无法评估，指标和图谱页暂不可用；可在规则页修改 (note: the rules have errors; fix them on the 规则 page)"
        );
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .map_err(|e| {
            eprintln!("error: 无法启动服务 (cannot start the server): {e}");
            Exit::Usage
        })?;
    rt.block_on(async move {
        let addr = SocketAddr::new(a.host, a.port);
        let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
            eprintln!("error: 无法监听 {addr} (cannot listen on {addr}): {e}");
            Exit::Usage
        })?;
        let local = listener.local_addr().map_err(|_| Exit::Usage)?;
        if !a.host.is_loopback() {
            eprintln!(
                "注意：服务对网络上的其他机器可见 (note: the server is reachable from other machines on {})",
                a.host
            );
        }
        println!("guihua 规划工作台已启动：http://{local}/ （按 Ctrl-C 停止）");
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        axum::serve(listener, serve::router(started.app))
            .await
            .map_err(|e| {
                eprintln!("error: 服务中断 (the server stopped): {e}");
                Exit::Usage
            })?;
        Ok(Exit::Success)
    })
}
