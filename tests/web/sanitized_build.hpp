#pragma once
// Whether this test program is built with AddressSanitizer (scripts/hardening.sh): its
// allocator keeps freed memory in quarantine and never gives it back to the system, and the
// sanitized server is several times slower, so figures of memory and of how much gets done in
// a given time are the sanitizer's, not the server's.
namespace cited::test {
#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool under_asan = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool under_asan = true;
#else
inline constexpr bool under_asan = false;
#endif
#else
inline constexpr bool under_asan = false;
#endif
}  // namespace cited::test
