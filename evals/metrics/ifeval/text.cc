#include "evals/metrics/ifeval/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <map>
#include <set>

#include "evals/filters/py_regex.h"
#include "evals/filters/py_text.h"

namespace bitnet::evals::ifeval {

int CountWords(const std::string& text) {
  static const PyRegex re("\\w+");
  return static_cast<int>(re.FindIter(text).size());
}

namespace {

bool IsAbbreviation(const std::string& word_with_period) {
  static const std::set<std::string> kAbbrev = {
      "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "e.g", "i.e", "u.s", "u.k", "a.m",
      "p.m", "inc", "ltd", "co", "corp", "no", "fig", "approx", "dept", "gen", "gov", "sen",
      "rep", "capt", "lt", "col", "mt", "ft", "jan", "feb", "mar", "apr", "jun", "jul", "aug",
      "sep", "sept", "oct", "nov", "dec", "ph.d", "u.s.a", "cf", "al"};
  std::string w = py::Lower(word_with_period);
  while (!w.empty() && w.back() == '.') w.pop_back();
  // strip leading opening punctuation
  size_t b = 0;
  while (b < w.size() && std::string("\"'([{").find(w[b]) != std::string::npos) ++b;
  w = w.substr(b);
  if (w.size() == 1 && std::isalpha(static_cast<unsigned char>(w[0]))) return true;  // initial
  return kAbbrev.count(w) > 0;
}

}  // namespace

int CountSentences(const std::string& text) {
  // Candidate boundary: [.?!]+ then closing quotes/brackets, then whitespace, then more text.
  static const PyRegex re("(\\S*?)([.?!]+)([\"'\\)\\]}\\x{201D}\\x{2019}]*)(?=\\s+\\S)");
  int count = 0;
  size_t seg_start = 0;
  for (const PyMatch& m : re.FindIter(text)) {
    const std::string& word = *m.groups[1];
    const std::string& punct = *m.groups[2];
    if (punct == "." && IsAbbreviation(word + ".")) continue;
    if (!py::Strip(text.substr(seg_start, m.end - seg_start)).empty()) ++count;
    seg_start = m.end;
  }
  if (!py::Strip(text.substr(seg_start)).empty()) ++count;
  return count;
}

std::vector<std::string> WordTokenize(const std::string& text) {
  static const std::string kLead = "\"'([{`\xC2\xAB";  // includes the UTF-8 bytes of «
  static const std::string kTrail = ".,;:!?)]}\"'";
  static const PyRegex clitic("^(.+?)((?i:n't|'s|'re|'ve|'ll|'d|'m))$");
  std::vector<std::string> out;
  for (std::string w : py::SplitWhitespace(text)) {
    while (!w.empty() && kLead.find(w.front()) != std::string::npos) {
      out.emplace_back(1, w.front());
      w.erase(0, 1);
    }
    std::vector<std::string> trail;
    while (!w.empty() && kTrail.find(w.back()) != std::string::npos) {
      trail.emplace_back(1, w.back());
      w.pop_back();
    }
    if (!w.empty()) {
      if (auto m = clitic.Search(w)) {
        out.push_back(*m->groups[1]);
        out.push_back(*m->groups[2]);
      } else {
        out.push_back(w);
      }
    }
    for (auto it = trail.rbegin(); it != trail.rend(); ++it) out.push_back(*it);
  }
  return out;
}

namespace {

enum Script { kLatin, kCyrillic, kArabic, kDevanagari, kBengali, kGurmukhi, kGujarati, kTamil,
              kTelugu, kKannada, kMalayalam, kThai, kHangul, kKana, kHan, kHebrew, kGreek,
              kNumScripts };

int ScriptOf(char32_t c) {
  if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7) ||
      (c >= 0x1E00 && c <= 0x1EFF))
    return kLatin;
  if (c >= 0x400 && c <= 0x52F) return kCyrillic;
  if ((c >= 0x600 && c <= 0x6FF) || (c >= 0x750 && c <= 0x77F) || (c >= 0xFB50 && c <= 0xFDFF) ||
      (c >= 0xFE70 && c <= 0xFEFF))
    return kArabic;
  if (c >= 0x900 && c <= 0x97F) return kDevanagari;
  if (c >= 0x980 && c <= 0x9FF) return kBengali;
  if (c >= 0xA00 && c <= 0xA7F) return kGurmukhi;
  if (c >= 0xA80 && c <= 0xAFF) return kGujarati;
  if (c >= 0xB80 && c <= 0xBFF) return kTamil;
  if (c >= 0xC00 && c <= 0xC7F) return kTelugu;
  if (c >= 0xC80 && c <= 0xCFF) return kKannada;
  if (c >= 0xD00 && c <= 0xD7F) return kMalayalam;
  if (c >= 0xE00 && c <= 0xE7F) return kThai;
  if ((c >= 0xAC00 && c <= 0xD7AF) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F)) return kHangul;
  if (c >= 0x3040 && c <= 0x30FF) return kKana;
  if (c >= 0x4E00 && c <= 0x9FFF) return kHan;
  if (c >= 0x590 && c <= 0x5FF) return kHebrew;
  if (c >= 0x370 && c <= 0x3FF) return kGreek;
  return -1;
}

std::string BestByStopwords(const std::vector<std::string>& words,
                            const std::vector<std::pair<std::string, std::set<std::string>>>& langs,
                            const std::string& fallback) {
  std::string best = fallback;
  int best_score = 0;
  for (const auto& [lang, stop] : langs) {
    int score = 0;
    for (const std::string& w : words) score += stop.count(w) ? 1 : 0;
    if (score > best_score) {
      best_score = score;
      best = lang;
    }
  }
  return best;
}

std::vector<std::string> LowerWords(const std::string& text) {
  static const PyRegex re("\\w+");
  std::vector<std::string> out;
  for (const PyMatch& m : re.FindIter(text)) out.push_back(py::Lower(*m.groups[0]));
  return out;
}

}  // namespace

std::optional<std::string> DetectLanguage(const std::string& text) {
  std::array<int, kNumScripts> counts{};
  int kana = 0, total = 0;
  std::map<char32_t, int> chars;
  for (char32_t c : py::Decode(text)) {
    const int s = ScriptOf(c);
    if (s < 0) continue;
    ++counts[s];
    ++total;
    ++chars[c];
    if (s == kKana) ++kana;
  }
  if (total == 0) return std::nullopt;
  int script = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
  if (kana > 0 && (script == kHan || script == kKana)) return "ja";
  auto has = [&](std::initializer_list<char32_t> cs) {
    int n = 0;
    for (char32_t c : cs) n += chars.count(c) ? chars[c] : 0;
    return n;
  };
  switch (script) {
    case kHangul: return "ko";
    case kHan: return "zh-cn";
    case kKana: return "ja";
    case kThai: return "th";
    case kBengali: return "bn";
    case kGurmukhi: return "pa";
    case kGujarati: return "gu";
    case kTamil: return "ta";
    case kTelugu: return "te";
    case kKannada: return "kn";
    case kMalayalam: return "ml";
    case kHebrew: return "he";
    case kGreek: return "el";
    case kArabic:
      if (has({0x6D2, 0x6BA, 0x679, 0x688, 0x691, 0x6C1, 0x6BE})) return "ur";
      if (has({0x67E, 0x686, 0x698, 0x6AF, 0x6CC, 0x6A9})) return "fa";
      return "ar";
    case kCyrillic:
      if (has({0x456, 0x457, 0x454, 0x491, 0x406, 0x407, 0x404})) return "uk";
      if (has({0x44B, 0x44D, 0x42B, 0x42D})) return "ru";
      if (has({0x44A})) return "bg";
      return "ru";
    case kDevanagari: {
      static const std::vector<std::pair<std::string, std::set<std::string>>> kDeva = {
          {"hi", {"है", "हैं", "के", "में", "की", "और", "से", "का", "था", "कि", "यह", "नहीं"}},
          {"mr", {"आहे", "आणि", "आहेत", "हे", "या", "च्या", "मध्ये", "की", "होते", "नाही", "केले"}},
          {"ne", {"छ", "छन्", "हो", "र", "मा", "गर्न", "थियो", "पनि", "भएको", "लागि", "गरेको"}}};
      return BestByStopwords(LowerWords(text), kDeva, "hi");
    }
    default:
      break;
  }
  // Latin script.
  int viet_letters = 0;
  for (const auto& [c, n] : chars)
    if ((c >= 0x1EA0 && c <= 0x1EF9) || c == 0x111 || c == 0x110 || c == 0x1A1 || c == 0x1B0) viet_letters += n;
  if (viet_letters > 0 && viet_letters * 20 >= counts[kLatin]) return "vi";
  static const std::vector<std::pair<std::string, std::set<std::string>>> kLatinLangs = {
      {"en", {"the", "and", "is", "are", "of", "to", "in", "that", "it", "with", "for", "this", "you", "was", "be", "on", "not", "have", "as", "i"}},
      {"de", {"der", "die", "das", "und", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "sich", "des", "auf", "für", "ich", "sie", "es", "von", "dem"}},
      {"es", {"el", "la", "los", "las", "de", "que", "y", "en", "un", "una", "es", "por", "con", "para", "del", "se", "no", "su", "como", "más"}},
      {"pt", {"o", "os", "as", "de", "que", "e", "em", "um", "uma", "é", "não", "do", "da", "dos", "das", "para", "com", "se", "por", "mais"}},
      {"fr", {"le", "la", "les", "de", "des", "et", "est", "un", "une", "que", "en", "du", "pour", "dans", "pas", "qui", "sur", "au", "avec", "ce"}},
      {"it", {"il", "la", "di", "che", "e", "è", "un", "una", "per", "non", "del", "della", "sono", "in", "gli", "le", "con", "si", "da", "lo"}},
      {"nl", {"de", "het", "een", "en", "van", "is", "dat", "niet", "op", "te", "zijn", "voor", "met", "ik", "je", "die", "ook"}},
      {"fi", {"ja", "on", "ei", "se", "että", "oli", "ovat", "hän", "mutta", "kuin", "tai", "joka", "myös", "niin", "ole", "tämä"}},
      {"sw", {"na", "ya", "wa", "kwa", "ni", "za", "katika", "la", "kuwa", "hii", "cha", "vya", "pia", "kama", "lakini", "sana", "yake"}},
      {"pl", {"i", "w", "nie", "na", "się", "z", "do", "jest", "to", "że", "o", "jak", "ale", "po", "co", "tak", "od"}},
      {"tr", {"ve", "bir", "bu", "da", "de", "için", "ile", "çok", "ne", "gibi", "daha", "olarak", "ama", "değil"}},
      {"id", {"dan", "yang", "di", "ini", "itu", "dengan", "untuk", "tidak", "dari", "akan", "ke", "ada", "juga", "saya"}}};
  return BestByStopwords(LowerWords(text), kLatinLangs, "en");
}

}  // namespace bitnet::evals::ifeval
