// libFuzzer target: the dataset loaders (datasets/loaders) on arbitrary bytes. The first input
// byte picks the reader: JSONL, JSON records, CSV (header / fixed columns / both), a gzip'd JSONL
// file, a labels file, and the file-order variants. Each must return records that are JSON
// objects or throw InputError naming the file.
#include <cstdint>
#include <string>
#include <string_view>

#include "datasets/loaders/labels.h"
#include "datasets/loaders/records.h"
#include "datasets/loaders/text.h"
#include "tests/fuzz/fuzz_support.h"

namespace fz = bitnet::fuzz;
namespace ds = bitnet::datasets;

namespace {

template <typename Records>
void CheckRecords(const Records& records) {
  fz::Require(!records.empty());  // an empty file is an error, never zero records
  for (const auto& r : records) fz::Require(r.is_object());
}

const std::string kFile = "fuzz";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 10;
  const std::string_view text(reinterpret_cast<const char*>(data + 1), size - 1);
  fz::ExpectOnlyProjectErrors([&] {
    ds::CsvOptions header, columns, both;
    columns.header = false;
    columns.columns = {"question", "A", "B", "answer"};
    both.columns = columns.columns;
    switch (mode) {
      case 0: CheckRecords(ds::ParseJsonl(text, kFile)); break;
      case 1: CheckRecords(ds::ParseJsonRecords(text, kFile)); break;
      case 2: CheckRecords(ds::ParseCsv(text, kFile, header)); break;
      case 3: CheckRecords(ds::ParseCsv(text, kFile, columns)); break;
      case 4: CheckRecords(ds::ParseCsv(text, kFile, both)); break;
      case 5: CheckRecords(ds::ParseJsonlOrdered(text, kFile)); break;
      case 6: CheckRecords(ds::ParseJsonRecordsOrdered(text, kFile)); break;
      case 7: CheckRecords(ds::ParseCsvOrdered(text, kFile, header)); break;
      case 8: {  // a .jsonl.gz file through LoadRecords (gunzip, then JSONL)
        const auto dir = fz::ScratchDir("datasets");
        fz::WriteFile(dir / "data.jsonl.gz", text);
        CheckRecords(ds::LoadRecords((dir / "data.jsonl.gz").string()));
        break;
      }
      case 9: {  // a labels file (one integer per line)
        const auto dir = fz::ScratchDir("datasets");
        fz::WriteFile(dir / "labels.lst", text);
        (void)ds::ReadLabels((dir / "labels.lst").string());
        break;
      }
    }
  });
  return 0;
}
