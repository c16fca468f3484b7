// The clinic-topics table for grouping unanswered questions (question_groups.hpp): what
// patients ask a clinic that published articles about SMP cannot answer. Each entry is a
// concept and the words and phrases patients use for it; they are stemmed when the grouper is
// made, so "financing" finds "finance". Ordinary words that belong to many topics ("plan",
// "time", "get") are left out on purpose: they would join questions that have nothing to do
// with one another.
#include "question_groups.hpp"

namespace cited::records {

const std::vector<concept_entry>& clinic_topics() {
  static const std::vector<concept_entry> table = {
      {"payment", {"pay", "paid", "paying", "payment", "payments", "finance", "financing", "instalment", "instalments",
                   "installment", "installments", "monthly", "klarna", "clearpay", "afterpay", "credit", "loan",
                   "spread the cost", "payment plan", "card", "cash", "deposit"}},
      {"booking", {"book", "booking", "appointment", "slot", "slots", "availability", "available", "schedule",
                   "waiting list", "waitlist", "soonest", "earliest", "next week", "reserve"}},
      {"cancellation", {"cancel", "cancellation", "reschedule", "refund", "refunds", "money back", "no show",
                        "move my appointment"}},
      {"location", {"where", "address", "located", "location", "directions", "branch", "branches", "postcode", "nearest",
                    "near me", "which city", "come to"}},
      {"parking", {"park", "parking", "car", "bus", "train", "station", "tube", "transport", "wheelchair", "accessible",
                   "lift", "stairs"}},
      {"opening hours", {"open", "opening", "hours", "weekend", "weekends", "saturday", "sunday", "evening", "evenings",
                         "closed", "bank holiday", "christmas", "late"}},
      {"consultation", {"consultation", "consultations", "consult", "video call", "zoom", "virtual", "facetime",
                        "in person", "assessment"}},
      {"practitioner", {"practitioner", "practitioners", "artist", "artists", "technician", "qualified", "qualification",
                        "qualifications", "certified", "certificate", "licensed", "insured", "trained", "experience",
                        "experienced", "who will do", "who does"}},
      {"portfolio", {"photo", "photos", "picture", "pictures", "portfolio", "instagram", "gallery", "reviews", "review",
                     "testimonials", "previous clients", "your work"}},
      {"offers", {"voucher", "vouchers", "gift", "discount", "discounts", "offer", "offers", "promotion", "promo",
                  "code", "deal", "deals", "student", "military", "nhs staff", "referral", "loyalty", "black friday",
                  "sale", "cheaper if"}},
      {"insurance", {"insurance", "insurer", "covered", "cover", "claim", "bupa", "axa", "medical aid", "hsa", "fsa",
                     "tax deductible", "vat"}},
      {"age", {"age", "old", "aged", "teenager", "teen", "minor", "minors", "under 18", "16", "17", "18", "parent",
               "son", "daughter", "year old"}},
      {"training", {"course", "courses", "training", "academy", "teach", "learn", "become", "apprenticeship", "career",
                    "job", "jobs", "vacancies", "hiring"}},
      {"language", {"language", "languages", "speak", "spanish", "polish", "arabic", "urdu", "french", "translator",
                    "interpreter", "english"}},
      {"products", {"sell", "buy", "shop", "product", "products", "shampoo", "moisturiser", "cream", "kit",
                    "concealer", "wig", "wigs", "hairpiece", "hair system", "toupee"}},
  };
  return table;
}

}  // namespace cited::records
