#pragma once
// Takes out of a patient's text what would identify them, before it reaches a log or a store.
#include <string>
#include <string_view>
#include <vector>

namespace cited::web {

// text with every email address replaced by "[email]" and every phone number by "[phone]".
//
// The text is read as a patient types it, not as a machine writes it: each character is first
// folded with ICU (NFKC, so a full-width "＠" or "０７７００" is an ASCII one; any Unicode digit
// is its ASCII digit; zero-width and other invisible characters are dropped; every dash is a
// hyphen), and an address may be disguised: "name(at)example(dot)com", "sam at mail dot com",
// "josé@exämple.es". Phone numbers are found by libphonenumber's PhoneNumberMatcher in the
// regions of set_phone_regions (international "+44 ..." numbers in any region), on each run of
// digits and separators that holds six digits or more. It errs towards redacting: a run of
// seven or more digits joined only by spaces, dots, dashes, slashes or parentheses counts as a
// phone number even when libphonenumber does not call it one, so a long date goes too; prices,
// durations and counts ("$3000", "1-3 years", "10,000") stay. What is not redacted is returned
// byte for byte as it came.
std::string redact_personal_data(std::string_view text);

// The same for an HTTP request target: its %XX escapes are decoded first, so that
// "?to=sam%40example.com" is seen as the address it is.
std::string redact_request_target(std::string_view target);

// The regions (ISO 3166 codes such as "GB") whose national formats phone numbers are looked
// for in; numbers written with "+" and a country code are found whatever the list. Throws
// std::invalid_argument naming a region libphonenumber does not know. Call it before serving:
// it is not meant to change while texts are being redacted on other threads.
void set_phone_regions(const std::vector<std::string>& regions);
std::vector<std::string> phone_regions();

// Whether text, as a whole, is a phone number one could call: valid (not only the right length)
// in one of the regions of set_phone_regions, or anywhere when written with "+" and a country
// code. For a contact a patient types, not for finding numbers inside a text.
bool is_phone_number(std::string_view text);

// The regions used until set_phone_regions says otherwise: the clinic is in the UK, and its
// patients most often write from the UK, Ireland, the US and Canada (one numbering plan),
// Australia and New Zealand.
inline constexpr const char* default_phone_regions = "GB,IE,US,AU,NZ";

}  // namespace cited::web
