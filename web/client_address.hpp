#pragma once
// Who a client is: the peer of the connection, or, behind the clinic's reverse proxy, the
// address the proxy names in X-Forwarded-For; the key its per-address limits are kept under;
// and how much of the address the access log shows.
#include <boost/asio/ip/address.hpp>

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace cited::web {

using ip_address = boost::asio::ip::address;

// The proxies whose X-Forwarded-For is believed: addresses ("127.0.0.1", "::1") or networks
// ("10.0.0.0/8", "fd00::/8").
class trusted_proxies {
 public:
  trusted_proxies() = default;
  // Throws std::invalid_argument naming the first entry that is neither.
  explicit trusted_proxies(const std::vector<std::string>& entries);

  bool empty() const { return networks_.empty(); }
  bool contains(const ip_address& a) const;

 private:
  struct network {
    ip_address base;
    unsigned prefix;
  };
  std::vector<network> networks_;
};

// The client of a request that came from peer. Only a trusted proxy's X-Forwarded-For counts:
// its client is the rightmost address in it that is not itself a trusted proxy (the ones left
// of that were written by the client, who can write anything). The peer when it is not
// trusted, or when the header is missing or unreadable.
ip_address client_address(const ip_address& peer, std::string_view forwarded_for, const trusted_proxies& proxies);

// What per-address limits are kept under: an IPv4 address whole, an IPv6 one by its /64 (one
// subscriber's network: a client holds a whole /64 and could hop between its addresses); an
// IPv4-mapped IPv6 address as the IPv4 one.
struct address_key {
  std::array<std::uint8_t, 16> bytes{};
  bool v4 = false;
  friend bool operator==(const address_key&, const address_key&) = default;
};
address_key limit_key(const ip_address& a);

struct address_key_hash {
  std::size_t operator()(const address_key& k) const;
};

// For the access log: the network, not the person: "203.0.113.0/24", "2001:db8:1::/48"; the
// whole address with full.
std::string loggable_address(const ip_address& a, bool full);

// An address as a peer endpoint gives it, IPv4-mapped IPv6 unwrapped.
ip_address unmapped(const ip_address& a);

}  // namespace cited::web
