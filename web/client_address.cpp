#include "client_address.hpp"

#include <boost/asio/ip/address_v4.hpp>
#include <boost/asio/ip/address_v6.hpp>

#include <random>
#include <stdexcept>

namespace cited::web {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// One X-Forwarded-For entry: "203.0.113.7", "2001:db8::1", and the forms proxies also write,
// "[2001:db8::1]:443" and "203.0.113.7:51234". False when it is none of these.
bool parse_forwarded(std::string_view s, ip_address& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) return false;
    s = s.substr(1, close - 1);
  } else if (s.find(':') == s.rfind(':') && s.find(':') != std::string_view::npos) {
    s = s.substr(0, s.find(':'));  // one colon: IPv4 with a port
  }
  boost::system::error_code ec;
  out = unmapped(boost::asio::ip::make_address(std::string(s), ec));
  return !ec;
}

// The first prefix bits of a and b agree.
bool same_prefix(const std::array<std::uint8_t, 16>& a, const std::array<std::uint8_t, 16>& b, unsigned bits) {
  for (unsigned i = 0; bits > 0; ++i) {
    const unsigned take = std::min(bits, 8u);
    const auto mask = static_cast<std::uint8_t>(0xFF << (8 - take));
    if ((a[i] & mask) != (b[i] & mask)) return false;
    bits -= take;
  }
  return true;
}

std::array<std::uint8_t, 16> bytes_of(const ip_address& a) {
  std::array<std::uint8_t, 16> out{};
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), out.begin());
  } else {
    out = a.to_v6().to_bytes();
  }
  return out;
}

}  // namespace

ip_address unmapped(const ip_address& a) {
  if (a.is_v6() && a.to_v6().is_v4_mapped())
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6());
  return a;
}

trusted_proxies::trusted_proxies(const std::vector<std::string>& entries) {
  for (const auto& entry : entries) {
    const auto slash = entry.find('/');
    boost::system::error_code ec;
    const ip_address base = unmapped(boost::asio::ip::make_address(entry.substr(0, slash), ec));
    const unsigned most = base.is_v4() ? 32 : 128;
    unsigned prefix = most;
    if (!ec && slash != std::string::npos) {
      const std::string bits = entry.substr(slash + 1);
      if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != std::string::npos ||
          std::stoul(bits) > most)
        ec = make_error_code(boost::system::errc::invalid_argument);
      else
        prefix = static_cast<unsigned>(std::stoul(bits));
    }
    if (ec) throw std::invalid_argument("--trust-proxy needs an address or a network such as 10.0.0.0/8, not '" + entry + "'");
    networks_.push_back({base, prefix});
  }
}

bool trusted_proxies::contains(const ip_address& a) const {
  const ip_address plain = unmapped(a);
  for (const auto& n : networks_) {
    if (n.base.is_v4() != plain.is_v4()) continue;
    if (same_prefix(bytes_of(n.base), bytes_of(plain), n.prefix)) return true;
  }
  return false;
}

ip_address client_address(const ip_address& peer_raw, std::string_view forwarded_for, const trusted_proxies& proxies) {
  ip_address peer = unmapped(peer_raw);
  if (proxies.empty() || !proxies.contains(peer)) return peer;
  // Right to left: each hop appends the address it heard from.
  ip_address client = peer;
  while (!forwarded_for.empty()) {
    const auto comma = forwarded_for.rfind(',');
    const std::string_view entry = comma == std::string_view::npos ? forwarded_for : forwarded_for.substr(comma + 1);
    forwarded_for = comma == std::string_view::npos ? std::string_view() : forwarded_for.substr(0, comma);
    ip_address a;
    if (!parse_forwarded(entry, a)) break;  // unreadable: trust nothing further left
    client = a;
    if (!proxies.contains(a)) break;
  }
  return client;
}

address_key limit_key(const ip_address& a) {
  const ip_address plain = unmapped(a);
  address_key k;
  k.v4 = plain.is_v4();
  k.bytes = bytes_of(plain);
  if (!k.v4) std::fill(k.bytes.begin() + 8, k.bytes.end(), std::uint8_t{0});
  return k;
}

std::size_t address_key_hash::operator()(const address_key& k) const {
  // FNV-1a from a seed of this process's own: a client holding many IPv6 networks cannot work
  // out which of them fall into one bucket.
  static const std::size_t seed = (static_cast<std::size_t>(std::random_device{}()) << 32) ^ std::random_device{}();
  std::size_t h = (k.v4 ? 1469598103934665603ULL : 1099511628211ULL) ^ seed;
  for (auto b : k.bytes) {
    h ^= b;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string loggable_address(const ip_address& a, bool full) {
  const ip_address plain = unmapped(a);
  if (full) return plain.to_string();
  if (plain.is_v4()) {
    auto b = plain.to_v4().to_bytes();
    b[3] = 0;
    return boost::asio::ip::address_v4(b).to_string() + "/24";
  }
  auto b = plain.to_v6().to_bytes();
  std::fill(b.begin() + 6, b.end(), std::uint8_t{0});
  return boost::asio::ip::address_v6(b).to_string() + "/48";
}

}  // namespace cited::web
