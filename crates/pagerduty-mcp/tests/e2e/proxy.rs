//! Corporate networks: the PagerDuty client goes through the proxy `HTTPS_PROXY` names, with
//! a CONNECT tunnel (so the token travels inside TLS, never to the proxy), and straight to the
//! host when `NO_PROXY` lists it. A loopback proxy records what it is asked; a loopback
//! "API host" records direct connections.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A listener that keeps the first bytes of each connection and answers `reply`.
async fn recorder(reply: &'static [u8]) -> (u16, Arc<Mutex<Vec<Vec<u8>>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let sink = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            let sink = sink.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 4096];
                let n = socket.read(&mut buf).await.unwrap_or(0);
                sink.lock().unwrap().push(buf[..n].to_vec());
                let _ = socket.write_all(reply).await;
            });
        }
    });
    (port, seen)
}

const TOKEN: &str = "proxy-canary-token-0123456789";

/// `call get_user_data` against https://127.0.0.1:`api` with these proxy variables.
async fn call(api: u16, env: &[(&str, String)]) -> String {
    let mut cmd = crate::harness::server_command();
    for (k, _) in std::env::vars() {
        if k.to_ascii_lowercase().ends_with("_proxy") {
            cmd.env_remove(k);
        }
    }
    let out = cmd
        .env("PAGERDUTY_USER_API_KEY", TOKEN)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .args(["--allow-custom-api-host", "--api-timeout", "2"])
        .args(["--api-host", &format!("https://127.0.0.1:{api}")])
        .args(["call", "get_user_data"])
        .output()
        .await
        .unwrap();
    assert!(!out.status.success(), "nothing real answers here");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[tokio::test]
async fn https_proxy_tunnels_and_no_proxy_goes_direct() {
    let (proxy, asked) = recorder(b"HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n").await;
    let (api, direct) = recorder(b"").await;
    let proxy_url = format!("http://ops:secret@127.0.0.1:{proxy}");

    let err = call(api, &[("HTTPS_PROXY", proxy_url.clone())]).await;
    let requests: Vec<String> = asked
        .lock()
        .unwrap()
        .iter()
        .map(|r| String::from_utf8_lossy(r).into_owned())
        .collect();
    assert!(!requests.is_empty(), "the proxy was used: {err}");
    for r in &requests {
        assert!(
            r.starts_with(&format!("CONNECT 127.0.0.1:{api} HTTP/1.1\r\n")),
            "{r}"
        );
        // ops:secret, as the proxy URL gives it.
        assert!(
            r.contains("proxy-authorization: Basic b3BzOnNlY3JldA=="),
            "{r}"
        );
        assert!(
            !r.contains(TOKEN),
            "the token goes inside the tunnel only: {r}"
        );
    }
    assert!(
        direct.lock().unwrap().is_empty(),
        "nothing went around the proxy"
    );
    assert!(!err.contains(TOKEN), "{err}");

    // NO_PROXY: straight to the host (a TLS hello arrives there), the proxy is not asked.
    asked.lock().unwrap().clear();
    call(
        api,
        &[
            ("HTTPS_PROXY", proxy_url),
            ("NO_PROXY", "example.com,127.0.0.1".to_owned()),
        ],
    )
    .await;
    assert!(
        asked.lock().unwrap().is_empty(),
        "NO_PROXY bypasses the proxy"
    );
    let hellos = direct.lock().unwrap().clone();
    assert!(!hellos.is_empty(), "connected directly");
    assert_eq!(hellos[0].first(), Some(&0x16), "a TLS handshake record");
}
