//! The laptop's address on the classroom's network, for the join URL.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};

/// The address other devices on the local network reach this machine at: the source address
/// the system would use to reach outside addresses (found by "connecting" a UDP socket, which
/// sends nothing). Falls back to 127.0.0.1 when the machine is on no network.
#[must_use]
pub fn lan_address() -> IpAddr {
    // A documentation address (the default route), then the private ranges.
    let probes = ["192.0.2.1:9", "10.0.0.1:9", "172.16.0.1:9", "192.168.0.1:9"];
    probes
        .iter()
        .filter_map(|p| p.parse::<SocketAddr>().ok())
        .find_map(|probe| {
            let socket = UdpSocket::bind((Ipv4Addr::UNSPECIFIED, 0)).ok()?;
            socket.connect(probe).ok()?;
            let ip = socket.local_addr().ok()?.ip();
            (!ip.is_loopback() && !ip.is_unspecified()).then_some(ip)
        })
        .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// `http://<ip>:<port>/` (IPv6 addresses in brackets).
#[must_use]
pub fn join_url(ip: IpAddr, port: u16) -> String {
    format!("http://{}/", SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_bracket_ipv6() {
        assert_eq!(
            join_url(IpAddr::V4(Ipv4Addr::new(192, 168, 1, 20)), 8080),
            "http://192.168.1.20:8080/"
        );
        assert_eq!(
            join_url("fe80::1".parse().unwrap(), 80),
            "http://[fe80::1]:80/"
        );
    }

    #[test]
    fn the_lan_address_is_never_unspecified() {
        let ip = lan_address();
        assert!(!ip.is_unspecified());
    }
}
