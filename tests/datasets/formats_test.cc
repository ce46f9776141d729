// Every format LoadRecords reads, and hand-made malformed files that must fail with the file and
// line in the message.
#include <catch2/catch.hpp>

#include <zlib.h>

#include "datasets/loaders/records.h"
#include "datasets/loaders/text.h"
#include "tests/datasets/test_files.h"
#include "tests/test_support.h"

namespace {

using bitnet::datasets::CsvOptions;
using bitnet::datasets::LoadRecords;
using bitnet::test::ExpectInputError;
using bitnet::test::WriteText;

std::string Gzip(const std::string& data) {
  uLongf cap = compressBound(data.size()) + 32;
  std::string out(cap, '\0');
  z_stream zs{};
  REQUIRE(deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK);  // gzip
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  REQUIRE(deflate(&zs, Z_FINISH) == Z_STREAM_END);
  out.resize(zs.total_out);
  deflateEnd(&zs);
  return out;
}

const CsvOptions kMmlu{false, {"question", "A", "B", "C", "D", "answer"}};

}  // namespace

TEST_CASE("JSONL: one object per line, CRLF, BOM and trailing blank lines", "[datasets]") {
  auto dir = bitnet::test::TempDir("jsonl");
  auto recs = LoadRecords(WriteText(dir / "a.jsonl", "\xEF\xBB\xBF{\"q\": \"x\", \"n\": 1}\r\n"
                                                     "{\"q\": \"caf\xC3\xA9\", \"n\": [2]}\n\n  \n"));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["q"] == "x");
  CHECK(recs[0]["n"] == 1);
  CHECK(recs[1]["q"] == "caf\xC3\xA9");
  CHECK(recs[1]["n"][0] == 2);
  // No final newline is fine too.
  CHECK(LoadRecords(WriteText(dir / "b.jsonl", "{\"a\":1}\n{\"a\":2}")).size() == 2);
}

TEST_CASE("JSONL: malformed files name the file and the line", "[datasets]") {
  auto dir = bitnet::test::TempDir("jsonl-bad");
  auto p = WriteText(dir / "bad.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":3,,}\n{\"a\":4}\n");
  ExpectInputError([&] { LoadRecords(p); }, {"bad.jsonl", "line 3", "invalid JSON"});
  p = WriteText(dir / "blank.jsonl", "{\"a\":1}\n\n{\"a\":2}\n");
  ExpectInputError([&] { LoadRecords(p); }, {"blank.jsonl", "line 2", "blank line"});
  p = WriteText(dir / "array.jsonl", "{\"a\":1}\n[1,2]\n");
  ExpectInputError([&] { LoadRecords(p); }, {"line 2", "not an object"});
  p = WriteText(dir / "utf8.jsonl", "{\"a\":1}\n{\"a\":2}\n{\"a\":\"x\xC3(\"}\n");
  ExpectInputError([&] { LoadRecords(p); }, {"utf8.jsonl", "line 3", "invalid UTF-8"});
  p = WriteText(dir / "surrogate.jsonl", "{\"a\":\"\xED\xA0\x80\"}\n");
  ExpectInputError([&] { LoadRecords(p); }, {"line 1", "invalid UTF-8"});
  p = WriteText(dir / "empty.jsonl", "\n\n");
  ExpectInputError([&] { LoadRecords(p); }, {"empty.jsonl", "no records"});
  ExpectInputError([&] { LoadRecords((dir / "missing.jsonl").string()); }, {"missing.jsonl", "open"});
  p = WriteText(dir / "data.txt", "x");
  ExpectInputError([&] { LoadRecords(p); }, {"data.txt", "unknown dataset format"});
}

TEST_CASE("JSONL.GZ: decompressed and parsed; corrupt or truncated gzip is an error", "[datasets]") {
  auto dir = bitnet::test::TempDir("gz");
  const std::string body = "{\"task_id\": \"T_0\", \"base_input\": [[1, 2]]}\n{\"task_id\": \"T_1\"}\n";
  const std::string gz = Gzip(body);
  auto recs = LoadRecords(WriteText(dir / "ok.jsonl.gz", gz));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["base_input"][0][1] == 2);
  // Two gzip members back to back are one stream (as gzip -c a b > c makes).
  CHECK(LoadRecords(WriteText(dir / "two.jsonl.gz", gz + gz)).size() == 4);

  auto p = WriteText(dir / "trunc.jsonl.gz", gz.substr(0, gz.size() / 2));
  ExpectInputError([&] { LoadRecords(p); }, {"trunc.jsonl.gz", "gzip"});
  p = WriteText(dir / "notgz.jsonl.gz", body);
  ExpectInputError([&] { LoadRecords(p); }, {"notgz.jsonl.gz", "not a gzip file"});
  std::string corrupt = gz;
  for (size_t i = 12; i < corrupt.size() - 8; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5a);
  p = WriteText(dir / "corrupt.jsonl.gz", corrupt);
  ExpectInputError([&] { LoadRecords(p); }, {"corrupt.jsonl.gz", "gzip"});
  std::string badcrc = gz;
  badcrc[badcrc.size() - 6] = static_cast<char>(badcrc[badcrc.size() - 6] ^ 1);  // CRC32 trailer
  p = WriteText(dir / "crc.jsonl.gz", badcrc);
  ExpectInputError([&] { LoadRecords(p); }, {"crc.jsonl.gz", "gzip"});
  // Bad JSON inside a good gzip: line numbers are those of the decompressed text.
  p = WriteText(dir / "badline.jsonl.gz", Gzip("{}\n{}\n{oops}\n"));
  ExpectInputError([&] { LoadRecords(p); }, {"badline.jsonl.gz", "line 3"});
}

TEST_CASE("JSON: an array of objects, or an object holding one array", "[datasets]") {
  auto dir = bitnet::test::TempDir("json");
  auto recs = LoadRecords(WriteText(dir / "a.json", "[\n {\"question\": \"q1\", \"mc2_targets\": "
                                                    "{\"yes\": 1, \"no\": 0}},\n {\"question\": \"q2\"}\n]\n"));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["mc2_targets"]["yes"] == 1);
  recs = LoadRecords(WriteText(dir / "b.json", "{\"version\": \"1.0\", \"data\": [{\"x\": 1}]}"));
  REQUIRE(recs.size() == 1);
  CHECK(recs[0]["x"] == 1);

  auto p = WriteText(dir / "bad.json", "[\n {\"a\": 1},\n {\"a\": 2,}\n]\n");
  ExpectInputError([&] { LoadRecords(p); }, {"bad.json", "line 3", "invalid JSON"});
  // A number too large for a double (nlohmann's out_of_range, not a parse_error; found by the
  // datasets fuzzer) is an input error too, in .json and in .jsonl.
  auto huge = WriteText(dir / "huge.json", "[{\"a\": 333000000000E00000294738321414699883178}]");
  ExpectInputError([&] { LoadRecords(huge); }, {"huge.json", "invalid JSON"});
  auto huge_l = WriteText(dir / "huge.jsonl", "{\"a\": 1}\n{\"a\": 1e999999}\n");
  ExpectInputError([&] { LoadRecords(huge_l); }, {"huge.jsonl", "line 2", "invalid JSON"});
  p = WriteText(dir / "two.json", "{\"a\": [], \"b\": []}");
  ExpectInputError([&] { LoadRecords(p); }, {"two.json", "several arrays"});
  p = WriteText(dir / "none.json", "{\"a\": 1}");
  ExpectInputError([&] { LoadRecords(p); }, {"no array"});
  p = WriteText(dir / "scalar.json", "[{\"a\": 1}, 7]");
  ExpectInputError([&] { LoadRecords(p); }, {"record 1", "not an object"});
  p = WriteText(dir / "empty.json", "[]");
  ExpectInputError([&] { LoadRecords(p); }, {"no records"});
  p = WriteText(dir / "utf8.json", "[\n{\"a\": \"ok\"},\n{\"a\": \"\xFF\"}]");
  ExpectInputError([&] { LoadRecords(p); }, {"line 3", "invalid UTF-8"});
}

TEST_CASE("CSV: RFC 4180 quoting, CRLF, header and headerless", "[datasets]") {
  auto dir = bitnet::test::TempDir("csv");
  auto recs = LoadRecords(WriteText(dir / "h.csv", "\xEF\xBB\xBFType,Question,Answers\r\n"
                                                   "A,\"Is 1,000 big?\",\"yes; \"\"very\"\"\"\r\n"
                                                   "B,\"two\r\nlines\",\r\n"),
                          {});
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["Type"] == "A");  // BOM dropped from the first column name
  CHECK(recs[0]["Question"] == "Is 1,000 big?");
  CHECK(recs[0]["Answers"] == "yes; \"very\"");
  CHECK(recs[1]["Question"] == "two\r\nlines");  // kept verbatim
  CHECK(recs[1]["Answers"] == "");

  recs = LoadRecords(WriteText(dir / "m.csv", "What is 2+2?,3,4,5,6,B\n\"Pick, one\",a,b,c,d,A"), kMmlu);
  REQUIRE(recs.size() == 2);
  CHECK(recs[0]["question"] == "What is 2+2?");
  CHECK(recs[0]["answer"] == "B");
  CHECK(recs[1]["question"] == "Pick, one");

  // header=true with columns checks the header.
  CHECK(LoadRecords(WriteText(dir / "c.csv", "x,y\n1,2\n"), {true, {"x", "y"}}).size() == 1);
  auto p = WriteText(dir / "c2.csv", "x,z\n1,2\n");
  ExpectInputError([&] { LoadRecords(p, {true, {"x", "y"}}); }, {"c2.csv", "line 1", "header"});
  CHECK_THROWS_AS(LoadRecords(p, {false, {}}), bitnet::UsageError);
}

TEST_CASE("CSV: malformed files name the line", "[datasets]") {
  auto dir = bitnet::test::TempDir("csv-bad");
  auto p = WriteText(dir / "quote.csv", "q,a,b,c,d,A\nq,a,b,c,d,B\n\"never closed,a,b,c,d,C\nq,a,b,c,d,D\n");
  ExpectInputError([&] { LoadRecords(p, kMmlu); }, {"quote.csv", "line 3", "unbalanced quote"});
  p = WriteText(dir / "count.csv", "q,a,b,c,d,A\r\n\"multi\r\nline\",a,b,c,d,B\r\nq,a,b,c,A\r\n");
  ExpectInputError([&] { LoadRecords(p, kMmlu); }, {"count.csv", "line 4", "5 fields, expected 6"});
  // A quote inside an unquoted field is literal (Python's csv does the same; real MMLU has one).
  auto bare = LoadRecords(WriteText(dir / "bare.csv", "q,a,b,c,d,A\nsay \"hi\",a,b,c,d,B\n"), kMmlu);
  CHECK(bare[1]["question"] == "say \"hi\"");
  p = WriteText(dir / "after.csv", "\"q\"x,a,b,c,d,A\n");
  ExpectInputError([&] { LoadRecords(p, kMmlu); }, {"line 1", "after a closing quote"});
  p = WriteText(dir / "blank.csv", "q,a,b,c,d,A\n\nq,a,b,c,d,B\n");
  ExpectInputError([&] { LoadRecords(p, kMmlu); }, {"line 2", "blank line"});
  p = WriteText(dir / "utf8.csv", "q,a,b,c,d,A\nq,a,b,\xC0\xAF,d,B\n");
  ExpectInputError([&] { LoadRecords(p, kMmlu); }, {"utf8.csv", "line 2", "invalid UTF-8"});
  p = WriteText(dir / "dup.csv", "x,x\n1,2\n");
  ExpectInputError([&] { LoadRecords(p); }, {"duplicate column"});
  p = WriteText(dir / "cr.csv", "q,a,b,c,d,A\rq,a,b,c,d,B\n");
  ExpectInputError([&] { LoadRecords(p, kMmlu); }, {"line 1", "carriage return"});
  // Trailing blank lines are allowed.
  CHECK(LoadRecords(WriteText(dir / "tail.csv", "q,a,b,c,d,A\r\n\r\n\n"), kMmlu).size() == 1);
}

TEST_CASE("UTF-8 validation: accepts all well-formed sequences, rejects ill-formed ones", "[datasets]") {
  using bitnet::datasets::FindInvalidUtf8;
  constexpr auto kOk = std::string_view::npos;
  CHECK(FindInvalidUtf8("plain ascii") == kOk);
  CHECK(FindInvalidUtf8("\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80\xEF\xBB\xBF") == kOk);  // é € 😀 BOM
  CHECK(FindInvalidUtf8("\xF4\x8F\xBF\xBF") == kOk);                                  // U+10FFFF
  CHECK(FindInvalidUtf8("ab\x80") == 2);          // stray continuation byte
  CHECK(FindInvalidUtf8("a\xC0\x80") == 1);       // overlong NUL
  CHECK(FindInvalidUtf8("\xE0\x80\xAF") == 0);    // overlong 3-byte
  CHECK(FindInvalidUtf8("\xED\xB0\x80") == 0);    // surrogate
  CHECK(FindInvalidUtf8("\xF4\x90\x80\x80") == 0);  // above U+10FFFF
  CHECK(FindInvalidUtf8("x\xE2\x82") == 1);       // truncated at the end
  CHECK(FindInvalidUtf8("\xFF") == 0);
}

TEST_CASE("LoadOrderedRecords keeps members in file order", "[datasets]") {
  auto dir = bitnet::test::TempDir("ordered");
  auto p = WriteText(dir / "mc.json", "[{\"question\": \"q\", \"mc2_targets\": {\"zebra\": 1, \"apple\": 0}}]");
  auto sorted = LoadRecords(p);
  auto ordered = bitnet::datasets::LoadOrderedRecords(p);
  CHECK(sorted[0]["mc2_targets"].begin().key() == "apple");
  CHECK(ordered[0]["mc2_targets"].begin().key() == "zebra");
  CHECK(ordered[0].begin().key() == "question");
  auto c = bitnet::datasets::LoadOrderedRecords(WriteText(dir / "c.csv", "q,a,b,c,d,A\n"), kMmlu);
  CHECK(c[0].begin().key() == "question");
  auto bad = WriteText(dir / "bad.jsonl", "{}\n{\n");
  ExpectInputError([&] { bitnet::datasets::LoadOrderedRecords(bad); }, {"bad.jsonl", "line 2"});
}
