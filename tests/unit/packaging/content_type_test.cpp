#include "packaging/content_type.hpp"

#include <gtest/gtest.h>

namespace bw::packaging {
namespace {

TEST(ContentType, CommonExportFormats) {
  EXPECT_EQ(content_type_for("report.pdf"), "application/pdf");
  EXPECT_EQ(content_type_for("gel.png"), "image/png");
  EXPECT_EQ(content_type_for("photo.jpg"), "image/jpeg");
  EXPECT_EQ(content_type_for("photo.jpeg"), "image/jpeg");
  EXPECT_EQ(content_type_for("plot.svg"), "image/svg+xml");
  EXPECT_EQ(content_type_for("table.csv"), "text/csv");
  EXPECT_EQ(content_type_for("table.tsv"), "text/tab-separated-values");
  EXPECT_EQ(content_type_for("notes.md"), "text/markdown");
  EXPECT_EQ(content_type_for("data.json"), "application/json");
  EXPECT_EQ(content_type_for("page.htm"), "text/html");
  EXPECT_EQ(content_type_for("sheet.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(content_type_for("old.xls"), "application/vnd.ms-excel");
  EXPECT_EQ(content_type_for("doc.docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document");
  EXPECT_EQ(content_type_for("slides.pptx"),
            "application/vnd.openxmlformats-officedocument.presentationml.presentation");
  EXPECT_EQ(content_type_for("nested.zip"), "application/zip");
  EXPECT_EQ(content_type_for("reads.fastq.gz"), "application/gzip");
}

TEST(ContentType, SequenceFormatsArePlainTextExceptChromatograms) {
  EXPECT_EQ(content_type_for("seq.fasta"), "text/plain");
  EXPECT_EQ(content_type_for("seq.fa"), "text/plain");
  EXPECT_EQ(content_type_for("plasmid.gb"), "text/plain");
  EXPECT_EQ(content_type_for("plasmid.gbk"), "text/plain");
  EXPECT_EQ(content_type_for("trace.ab1"), "application/octet-stream");
}

TEST(ContentType, ExtensionIsCaseInsensitiveAndTakenFromTheLastSegment) {
  EXPECT_EQ(content_type_for("SCAN.PDF"), "application/pdf");
  EXPECT_EQ(content_type_for("dir.csv/Image.PnG"), "image/png");
  EXPECT_EQ(content_type_for("dir.csv/noext"), "application/octet-stream");
}

TEST(ContentType, UnknownOrMissingExtensionIsOctetStream) {
  EXPECT_EQ(content_type_for("blob.xyz"), "application/octet-stream");
  EXPECT_EQ(content_type_for("Makefile"), "application/octet-stream");
  EXPECT_EQ(content_type_for(".hidden"), "application/octet-stream");
  EXPECT_EQ(content_type_for("trailing."), "application/octet-stream");
  EXPECT_EQ(content_type_for(""), "application/octet-stream");
}

}  // namespace
}  // namespace bw::packaging
