//! The MQTT subscriber (`anjian serve --mqtt mqtt://127.0.0.1:1883`).
//!
//! Topic and payload: gateways publish to `anjian/{gateway}/readings` (QoS 1) the JSON of
//! `anjian_domain::monitoring::parse_payload`: one reading, an array, or
//! `{"gateway": …, "readings": […]}`. Instances subscribe through the shared subscription
//! `$share/anjian/anjian/+/readings`, so the broker hands each message to one of them.
//!
//! Two threads: the connection thread drives the client (reconnecting with backoff from 1 s
//! doubling to 60 s, subscribing again on every connection) and passes publishes on; the
//! ingest thread takes what keeps arriving (up to 5,000 messages, 50 ms after the first) and
//! stores it in one batch. Acknowledgements are manual and sent only after the batch has
//! committed, so a message the broker counts as delivered is in the store; a failed batch is
//! retried, never dropped. A bad payload is refused and logged (see `ingest`); it never stops
//! the readings around it.

use crate::App;
use rumqttc::{Client, Event, MqttOptions, Packet, Publish, QoS};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The topic filter gateways publish under.
pub const TOPIC: &str = "anjian/+/readings";
/// The shared-subscription group of anjian's instances.
pub const GROUP: &str = "anjian";

/// Where and how to subscribe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MqttConfig {
    /// `mqtt://[user:password@]host[:port]` (1883 when left out).
    pub url: String,
    /// The topic filter (`TOPIC`).
    pub topic: String,
    /// The shared-subscription group; none subscribes to the topic itself (each instance
    /// then receives everything: for one instance only).
    pub group: Option<String>,
    /// This instance's client id (unique per instance).
    pub client_id: String,
}

impl MqttConfig {
    pub fn new(url: &str, client_id: &str) -> Self {
        MqttConfig {
            url: url.to_string(),
            topic: TOPIC.to_string(),
            group: Some(GROUP.to_string()),
            client_id: client_id.to_string(),
        }
    }

    /// The filter subscribed to.
    pub fn filter(&self) -> String {
        match &self.group {
            Some(g) => format!("$share/{g}/{}", self.topic),
            None => self.topic.clone(),
        }
    }
}

/// A broker's address as configured.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broker {
    pub host: String,
    pub port: u16,
    /// User name and password.
    pub account: Option<(String, String)>,
}

/// A broker URL read: host, port and the optional account.
pub fn parse_broker(url: &str) -> Result<Broker, String> {
    let rest = url
        .strip_prefix("mqtt://")
        .or_else(|| url.strip_prefix("tcp://"))
        .ok_or_else(|| format!("MQTT地址应以 mqtt:// 开头：{url}"))?;
    let rest = rest.trim_end_matches('/');
    let (account, hostport) = match rest.rsplit_once('@') {
        Some((a, h)) => {
            let (u, p) = a.split_once(':').unwrap_or((a, ""));
            (Some((u.to_string(), p.to_string())), h)
        }
        None => (None, rest),
    };
    let (host, port) = match hostport.rsplit_once(':') {
        Some((h, p)) => (
            h,
            p.parse::<u16>()
                .map_err(|_| format!("MQTT地址的端口无法识别：{url}"))?,
        ),
        None => (hostport, 1883),
    };
    if host.is_empty() {
        return Err(format!("MQTT地址缺少主机：{url}"));
    }
    Ok(Broker {
        host: host.to_string(),
        port,
        account,
    })
}

/// A running subscriber; dropping it does not stop it: call `stop`.
pub struct Subscriber {
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl Subscriber {
    /// Stops both threads and waits for them (a batch in hand is stored first).
    pub fn stop(self) {
        self.stop.store(true, Ordering::SeqCst);
        for t in self.threads {
            let _ = t.join();
        }
    }
}

/// Starts the subscriber for `app`.
pub fn start(app: App, cfg: &MqttConfig) -> Result<Subscriber, String> {
    let Broker {
        host,
        port,
        account,
    } = parse_broker(&cfg.url)?;
    let mut opts = MqttOptions::new(cfg.client_id.clone(), host, port);
    opts.set_keep_alive(Duration::from_secs(30))
        .set_clean_session(false)
        .set_manual_acks(true)
        .set_inflight(1_000)
        .set_max_packet_size(
            anjian_domain::monitoring::MAX_PAYLOAD + 1024,
            anjian_domain::monitoring::MAX_PAYLOAD + 1024,
        );
    if let Some((u, p)) = account {
        opts.set_credentials(u, p);
    }
    let (client, connection) = Client::new(opts, 10_000);
    let stop = Arc::new(AtomicBool::new(false));
    // Unbounded: what is in it is bounded by the broker's in-flight window for this client
    // (QoS 1 messages not yet acknowledged), so the connection thread never blocks.
    let (tx, rx) = channel::<Publish>();
    let filter = cfg.filter();
    let conn = {
        let stop = stop.clone();
        let client = client.clone();
        std::thread::Builder::new()
            .name("mqtt-connection".into())
            .spawn(move || connection_loop(connection, client, &filter, tx, &stop))
            .map_err(|e| e.to_string())?
    };
    let ingest = {
        let stop = stop.clone();
        std::thread::Builder::new()
            .name("mqtt-ingest".into())
            .spawn(move || ingest_loop(&app, &client, rx, &stop))
            .map_err(|e| e.to_string())?
    };
    Ok(Subscriber {
        stop,
        threads: vec![conn, ingest],
    })
}

fn connection_loop(
    mut connection: rumqttc::Connection,
    client: Client,
    filter: &str,
    tx: Sender<Publish>,
    stop: &AtomicBool,
) {
    let mut backoff = Duration::from_secs(1);
    while !stop.load(Ordering::SeqCst) {
        match connection.recv_timeout(Duration::from_millis(500)) {
            Err(rumqttc::RecvTimeoutError::Timeout) => {}
            Err(rumqttc::RecvTimeoutError::Disconnected) => break,
            Ok(Ok(Event::Incoming(Packet::Publish(p)))) => {
                if tx.send(p).is_err() {
                    break;
                }
            }
            Ok(Ok(Event::Incoming(Packet::ConnAck(_)))) => {
                backoff = Duration::from_secs(1);
                tracing::info!(filter, "mqtt connected, subscribing");
                if let Err(e) = client.try_subscribe(filter, QoS::AtLeastOnce) {
                    tracing::warn!(error = %e, "mqtt subscribe failed");
                }
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %e, retry_in_secs = backoff.as_secs(), "mqtt connection lost");
                let until = Instant::now() + backoff;
                while Instant::now() < until && !stop.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(100));
                }
                backoff = (backoff * 2).min(Duration::from_secs(60));
            }
        }
    }
    let _ = client.try_disconnect();
}

fn ingest_loop(app: &App, client: &Client, rx: Receiver<Publish>, stop: &AtomicBool) {
    loop {
        let first = match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(p) => p,
            Err(RecvTimeoutError::Timeout) => {
                if stop.load(Ordering::SeqCst) {
                    return;
                }
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
        // Take what keeps arriving: until 5 ms pass with nothing new, 50 ms in all, or
        // 5,000 messages.
        let mut batch = vec![first];
        let until = Instant::now() + Duration::from_millis(50);
        while batch.len() < 5_000 {
            let left = until.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left.min(Duration::from_millis(5))) {
                Ok(p) => batch.push(p),
                Err(_) => break,
            }
        }
        let items: Vec<(String, &[u8])> = batch
            .iter()
            .map(|p| (p.topic.clone(), p.payload.as_ref()))
            .collect();
        let mut wait = Duration::from_millis(200);
        loop {
            match app.ingest_payloads(&items) {
                Ok(_) => break,
                Err(e) => {
                    tracing::error!(error = %e, messages = items.len(), "storing monitoring readings failed; retrying");
                    if stop.load(Ordering::SeqCst) {
                        return;
                    }
                    std::thread::sleep(wait);
                    wait = (wait * 2).min(Duration::from_secs(10));
                }
            }
        }
        for p in &batch {
            if let Err(e) = client.ack(p) {
                tracing::warn!(error = %e, "mqtt ack failed");
            }
        }
    }
}

/// A publisher to the broker (what `anjian demo-sensors` and the ingestion benchmark send
/// with): QoS 1, its connection driven by a thread of its own.
pub struct Publisher {
    client: Client,
    done: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Publisher {
    /// Connects to `url` as `client_id`.
    pub fn connect(url: &str, client_id: &str) -> Result<Publisher, String> {
        let Broker {
            host,
            port,
            account,
        } = parse_broker(url)?;
        let mut opts = MqttOptions::new(client_id, host, port);
        opts.set_keep_alive(Duration::from_secs(30))
            .set_inflight(200)
            .set_max_packet_size(
                anjian_domain::monitoring::MAX_PAYLOAD + 1024,
                anjian_domain::monitoring::MAX_PAYLOAD + 1024,
            );
        if let Some((u, p)) = account {
            opts.set_credentials(u, p);
        }
        let (client, mut connection) = Client::new(opts, 1_000);
        let done = Arc::new(AtomicBool::new(false));
        let stop = done.clone();
        let thread = std::thread::Builder::new()
            .name("mqtt-publisher".into())
            .spawn(move || {
                while !stop.load(Ordering::SeqCst) {
                    match connection.recv_timeout(Duration::from_millis(200)) {
                        Ok(Err(e)) => {
                            tracing::warn!(error = %e, "mqtt publisher connection lost");
                            std::thread::sleep(Duration::from_secs(1));
                        }
                        Err(rumqttc::RecvTimeoutError::Disconnected) => break,
                        _ => {}
                    }
                }
            })
            .map_err(|e| e.to_string())?;
        Ok(Publisher {
            client,
            done,
            thread: Some(thread),
        })
    }

    /// Publishes `payload` on `topic` (QoS 1); waits while the client's queue is full.
    pub fn publish(&self, topic: &str, payload: Vec<u8>) -> Result<(), String> {
        self.client
            .publish(topic, QoS::AtLeastOnce, false, payload)
            .map_err(|e| e.to_string())
    }

    /// Disconnects after what was queued has gone out (within `grace`).
    pub fn close(mut self, grace: Duration) {
        std::thread::sleep(grace);
        let _ = self.client.try_disconnect();
        self.done.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broker_urls_are_read_with_their_account_and_default_port() {
        assert_eq!(
            parse_broker("mqtt://127.0.0.1:1883"),
            Ok(Broker {
                host: "127.0.0.1".into(),
                port: 1883,
                account: None
            })
        );
        let b =
            parse_broker("mqtt://gw:s3cret@broker.county.gov.cn").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((b.host.as_str(), b.port), ("broker.county.gov.cn", 1883));
        assert_eq!(b.account, Some(("gw".into(), "s3cret".into())));
        assert!(parse_broker("http://x").is_err());
        assert!(parse_broker("mqtt://x:port").is_err());
        assert!(parse_broker("mqtt://").is_err());
        assert_eq!(
            MqttConfig::new("mqtt://h", "a").filter(),
            "$share/anjian/anjian/+/readings"
        );
    }
}
