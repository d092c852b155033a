#include "packaging/metadata.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "core/json.hpp"

namespace bw::packaging {
namespace {

namespace json = boost::json;

json::object parse(std::string_view text) {
  return json::parse(text).as_object();
}

const char* kEntry = R"({
  "id": "etr_abc123",
  "displayId": "EXP25000076",
  "name": "Plate assay",
  "webURL": "https://demo.benchling.com/demo/f/lib_x-proj/etr_abc123-plate-assay/edit",
  "createdAt": "2025-10-01T10:00:00.000000+00:00",
  "modifiedAt": "2025-10-02T11:00:00.000000+00:00",
  "creator": {"handle": "jdoe", "id": "ent_1", "name": "Jane Doe"},
  "authors": [{"handle": "jdoe", "id": "ent_1", "name": "Jane Doe"}, {"handle": "x", "id": "ent_2", "name": ""},
              "junk", {"handle": "bsmith", "id": "ent_3", "name": "Bob Smith"}],
  "days": [
    {"date": "2025-10-01", "notes": [
      {"type": "text", "text": "see", "links": [
        {"id": "bfi_Q1", "type": "custom_entity", "webURL": "https://demo.benchling.com/demo/f/lib_x/bfi_Q1-antibody-7/edit?tab=1#top"},
        {"id": "seq_S2", "type": "dna_sequence", "webURL": "https://demo.benchling.com/demo/f/lib_x/seq-S2-pUC19/edit"},
        {"id": "bfi_Q1", "type": "custom_entity", "webURL": "https://elsewhere"},
        {"id": "con_C3", "type": "container", "webURL": "https://demo.benchling.com/demo/containers/con_C3"},
        {"type": "sql_dashboard", "webURL": "https://demo.benchling.com/dash/9"},
        {"type": "sql_dashboard", "web_url": "https://demo.benchling.com/dash/9"},
        {"type": "nothing"},
        "junk"
      ]},
      {"type": "results_table", "apiId": "tbl_1", "name": "Readout", "assayResultSchemaId": "assaysch_1"},
      {"type": "results_table", "apiId": "tbl_1", "name": "Readout again", "assayResultSchemaId": "assaysch_1"},
      {"type": "results_table", "apiId": "tbl_2", "assayResultSchemaId": "assaysch_1"},
      {"type": "results_table", "apiId": "tbl_3", "name": "No schema"}
    ]},
    "junk",
    {"date": "2025-10-02", "notes": [
      {"type": "text", "links": [{"id": "bat_B4", "type": "batch", "webURL": "https://demo.benchling.com/b/bat_B4-lot-4"}]}
    ]}
  ],
  "fields": {
    "Sample": {"type": "entity_link", "value": "bfi_Q1", "displayValue": "antibody-7"},
    "Parts": {"type": "entity_link", "isMulti": true, "value": ["bfi_F5", "bfi_F6", 7]},
    "Notes": {"type": "text", "value": "bfi_not_an_entity"}
  }
})";

MetadataInput sample_input() {
  MetadataInput in;
  in.entry_id = "etr_abc123";
  in.package_name = "benchling/EXP25000076";
  in.registry = "quilt-user-bucket";
  in.entry_data = make_entry_data(parse(kEntry));
  in.message = parse(
      R"({"type":"v2.entry.created","resourceId":"etr_abc123","createdAt":"2025-10-03T09:00:00.000Z"})");
  in.base_url = "https://demo.benchling.com";
  in.export_url = "https://benchling-exports.s3.amazonaws.com/x.zip?X-Amz-Signature=abc";
  in.timestamp = event_timestamp(in.message);
  in.files = {{"data/plate.csv", "benchling/EXP25000076/data/plate.csv", 120},
              {"notes.pdf", "benchling/EXP25000076/notes.pdf", 5000}};
  return in;
}

MetadataInput minimal_input() {
  MetadataInput in;
  in.entry_id = "etr_1";
  in.package_name = "benchling/EXP1";
  in.registry = "bucket";
  in.entry_data =
      parse(R"({"display_id":"EXP1","name":"","web_url":"","created_at":"","modified_at":"","authors":[]})");
  in.base_url = resolve_base_url("", "");
  return in;
}

const char* kReadmeTail =
    "## Metadata Files\n"
    "- `entry.json`: Key entry metadata (display_id, name, creator, authors, timestamps)\n"
    "- `entry_data.json`: Complete entry data from Benchling API\n"
    "- `links.json`: Raw Benchling objects this entry links to (entities, inventory, tables); the "
    "searchable, "
    "name-enriched summary is the `links` field of `entry.json`\n"
    "- `input.json`: Export processing metadata\n"
    "- `README.md`: This documentation file\n"
    "\n"
    "## Usage\n"
    "This package was created automatically by the Benchling-Quilt integration webhook system.\n"
    "For questions about the data, refer to the original Benchling entry.\n";

// ---- entry_data ----

TEST(EntryData, AddsSnakeCaseDuplicatesOfTheCamelCaseFields) {
  const auto d = make_entry_data(parse(kEntry));
  EXPECT_EQ(d.at("display_id"), "EXP25000076");
  EXPECT_EQ(d.at("web_url"), d.at("webURL"));
  EXPECT_EQ(d.at("created_at"), "2025-10-01T10:00:00.000000+00:00");
  EXPECT_EQ(d.at("modified_at"), "2025-10-02T11:00:00.000000+00:00");
  EXPECT_EQ(d.at("displayId"), "EXP25000076");  // the original keys stay
}

TEST(EntryData, KeepsExistingSnakeCaseKeysAndSkipsNulls) {
  const auto d = make_entry_data(parse(R"({"displayId":"A","display_id":"B","webURL":null})"));
  EXPECT_EQ(d.at("display_id"), "B");
  EXPECT_FALSE(d.contains("web_url"));
}

TEST(EntryData, ValidationListsEveryMissingFieldInOrder) {
  auto r = validate_entry_data(parse(R"({"display_id":"A","web_url":null})"), "etr_9");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().message,
            "Missing required fields in entry_data: name, web_url, created_at, modified_at. Entry ID: etr_9");
  EXPECT_TRUE(validate_entry_data(make_entry_data(parse(kEntry)), "etr_abc123"));
}

TEST(FormatUserInfo, NameHandleAndId) {
  EXPECT_EQ(format_user_info(json::parse(R"({"name":"Jane Doe","handle":"jdoe","id":"ent_1"})")),
            "Jane Doe <jdoe@ent_1>");
  EXPECT_EQ(format_user_info(json::parse(R"({"name":"Jane"})")), "Jane <@>");
  EXPECT_EQ(format_user_info(json::parse(R"({"name":"","handle":"jdoe","id":"ent_1"})")), "");
  EXPECT_EQ(format_user_info(json::parse(R"("Jane")")), "");
  EXPECT_EQ(format_user_info(nullptr), "");
}

TEST(EventTimestamp, PrefersTimestampThenCreatedAt) {
  EXPECT_EQ(event_timestamp(parse(R"({"timestamp":"T1","createdAt":"T2"})")), "T1");
  EXPECT_EQ(event_timestamp(parse(R"({"createdAt":"T2"})")), "T2");
  EXPECT_EQ(event_timestamp(parse(R"({"timestamp":"","createdAt":"T2"})")), "T2");
  EXPECT_EQ(event_timestamp(parse(R"({"createdAt":5})")), "");
}

TEST(BaseUrl, PayloadThenApiUrlThenDefault) {
  EXPECT_EQ(resolve_base_url("https://a.benchling.com", "https://b"), "https://a.benchling.com");
  EXPECT_EQ(resolve_base_url("", "https://b"), "https://b");
  EXPECT_EQ(resolve_base_url("", ""), "https://benchling.com");
}

// ---- README.md ----

TEST(Readme, FullTemplate) {
  const std::string expected =
      "# EXP25000076 - Plate assay\n"
      "\n"
      "## Overview\n"
      "This package contains data exported from Benchling entry `EXP25000076`.\n"
      "\n"
      "**View in Benchling**: https://demo.benchling.com/demo/f/lib_x-proj/etr_abc123-plate-assay/edit\n"
      "\n"
      "## Entry Information\n"
      "- **Display ID**: EXP25000076\n"
      "- **Entry ID**: etr_abc123\n"
      "- **Name**: Plate assay\n"
      "- **Creator**: Jane Doe <jdoe@ent_1>\n"
      "- **Authors**: Jane Doe <jdoe@ent_1>, Bob Smith <bsmith@ent_3>\n"
      "- **Created**: 2025-10-01T10:00:00.000000+00:00\n"
      "- **Modified**: 2025-10-02T11:00:00.000000+00:00\n"
      "\n"
      "## Export Information\n"
      "- **Export Timestamp**: 2025-10-03T09:00:00.000Z\n"
      "- **Benchling Base URL**: https://demo.benchling.com\n"
      "- **Total Files**: 2\n"
      "\n"
      "## Files Included\n"
      "- `data/plate.csv` (120 bytes)\n"
      "- `notes.pdf` (5000 bytes)\n"
      "\n" +
      std::string(kReadmeTail);
  EXPECT_EQ(readme_md(sample_input()), expected);
}

TEST(Readme, OptionalLinesDisappearWhenEmpty) {
  const std::string expected =
      "# EXP1\n"
      "\n"
      "## Overview\n"
      "This package contains data exported from Benchling entry `EXP1`.\n"
      "\n"
      "## Entry Information\n"
      "- **Display ID**: EXP1\n"
      "- **Entry ID**: etr_1\n"
      "\n"
      "## Export Information\n"
      "- **Export Timestamp**: \n"
      "- **Benchling Base URL**: https://benchling.com\n"
      "- **Total Files**: 0\n"
      "\n"
      "## Files Included\n"
      "\n" +
      std::string(kReadmeTail);
  EXPECT_EQ(readme_md(minimal_input()), expected);
}

TEST(Readme, MetadataFileNamesAreLeftOutOfTheFileListButCounted) {
  auto in = minimal_input();
  in.files = {{"README.md", "k1", 3}, {"links.json", "k2", 4}, {"a.txt", "k3", 5}};
  const std::string readme = readme_md(in);
  EXPECT_NE(readme.find("- **Total Files**: 3\n"), std::string::npos);
  EXPECT_NE(readme.find("## Files Included\n- `a.txt` (5 bytes)\n\n## Metadata Files"), std::string::npos);
}

TEST(MetadataFileName, OnlyTheFiveTopLevelDocuments) {
  for (const char* name : {"entry.json", "entry_data.json", "links.json", "input.json", "README.md"}) {
    EXPECT_TRUE(is_metadata_file_name(name)) << name;
  }
  EXPECT_FALSE(is_metadata_file_name("data/entry.json"));
  EXPECT_FALSE(is_metadata_file_name("readme.md"));
}

// ---- entry.json, input.json ----

TEST(EntryJson, KeysInOrderWithValues) {
  auto in = sample_input();
  const auto o = entry_json(in);
  std::vector<std::string> keys;
  for (const auto& kv : o) keys.emplace_back(kv.key());
  EXPECT_EQ(keys,
            (std::vector<std::string>{"package_name", "entry_id", "display_id", "name", "web_url", "creator",
                                      "authors", "created_at", "modified_at", "export_timestamp",
                                      "benchling_base_url", "webhook_data", "files", "links"}));
  EXPECT_EQ(o.at("package_name"), "benchling/EXP25000076");
  EXPECT_EQ(o.at("entry_id"), "etr_abc123");
  EXPECT_EQ(o.at("display_id"), "EXP25000076");
  EXPECT_EQ(o.at("creator"), "Jane Doe <jdoe@ent_1>");
  EXPECT_EQ(o.at("authors"), json::parse(R"(["Jane Doe <jdoe@ent_1>","Bob Smith <bsmith@ent_3>"])"));
  EXPECT_EQ(o.at("export_timestamp"), "2025-10-03T09:00:00.000Z");
  EXPECT_EQ(o.at("benchling_base_url"), "https://demo.benchling.com");
  EXPECT_EQ(o.at("webhook_data"), in.message);
  EXPECT_EQ(o.at("files"),
            json::parse(R"({"data/plate.csv":{"s3_key":"benchling/EXP25000076/data/plate.csv","size":120},
                                           "notes.pdf":{"s3_key":"benchling/EXP25000076/notes.pdf","size":5000}})"));
}

TEST(EntryJson, CanvasIdComesBeforeLinksWhenKnown) {
  auto in = sample_input();
  in.canvas_id = "cnvs_42";
  const auto o = entry_json(in);
  EXPECT_EQ(o.at("canvas_id"), "cnvs_42");
  auto it = o.begin();
  std::advance(it, 13);
  EXPECT_EQ(it->key(), "canvas_id");
  EXPECT_EQ((++it)->key(), "links");
}

TEST(InputJson, ExactText) {
  auto in = sample_input();
  EXPECT_EQ(core::to_pretty_json(input_json(in)),
            "{\n"
            "  \"source\": \"benchling_webhook\",\n"
            "  \"export_url\": \"https://benchling-exports.s3.amazonaws.com/x.zip?X-Amz-Signature=abc\",\n"
            "  \"processing_timestamp\": \"2025-10-03T09:00:00.000Z\",\n"
            "  \"package_metadata\": {\n"
            "    \"name\": \"benchling/EXP25000076\",\n"
            "    \"registry\": \"quilt-user-bucket\",\n"
            "    \"total_files\": 2\n"
            "  }\n"
            "}");
}

// ---- links ----

TEST(LinkSlug, TakesTheTextAfterTheIdSegment) {
  EXPECT_EQ(link_slug("bfi_Q1", "https://t.benchling.com/t/f/lib_x/bfi_Q1-antibody-7/edit?tab=1#top"),
            "antibody-7");
  // '_' and '-' compare equal; the slug keeps its own characters.
  EXPECT_EQ(link_slug("seq_S2", "https://t.benchling.com/f/seq-S2-pUC_19/edit"), "pUC_19");
  EXPECT_EQ(link_slug("bat_B4", "https://t.benchling.com/b/bat_B4-lot-4"), "lot-4");
}

TEST(LinkSlug, NullWhenNoSegmentStartsWithTheId) {
  EXPECT_EQ(link_slug("con_C3", "https://t.benchling.com/containers/con_C3"), std::nullopt);
  EXPECT_EQ(link_slug("con_C3", "https://t.benchling.com/containers/con_C3-"), std::nullopt);
  EXPECT_EQ(link_slug("bfi_Q1", "https://t.benchling.com/?q=bfi_Q1-x"), std::nullopt);
  EXPECT_EQ(link_slug("bfi_Q1", "https://bfi_Q1-host.benchling.com/x"), std::nullopt);
  EXPECT_EQ(link_slug("", "https://t/x-y"), std::nullopt);
  EXPECT_EQ(link_slug("bfi_Q1", ""), std::nullopt);
}

TEST(EntryLinks, DedupByIdThenUrlInFirstSeenOrderWithNames) {
  const auto links = entry_links(make_entry_data(parse(kEntry)),
                                 {{"bfi_Q1", "Antibody 7"}, {"con_C3", ""}, {"bfi_F6", "Part six"}});
  // Note links first, then the entity-link field ids (bfi_Q1 again in a field: listed once).
  EXPECT_EQ(json::value(links), json::parse(R"([
    {"type":"custom_entity","id":"bfi_Q1","name":"Antibody 7","slug":"antibody-7"},
    {"type":"dna_sequence","id":"seq_S2","name":null,"slug":"pUC19"},
    {"type":"container","id":"con_C3","name":null,"slug":null},
    {"type":"sql_dashboard","id":null,"name":null,"slug":null},
    {"type":"batch","id":"bat_B4","name":null,"slug":"lot-4"},
    {"type":"entity_link","id":"bfi_F5","name":null,"slug":null},
    {"type":"entity_link","id":"bfi_F6","name":"Part six","slug":null}
  ])"));
  // Key order is part of the document.
  std::vector<std::string> keys;
  for (const auto& kv : links.at(0).as_object()) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"type", "id", "name", "slug"}));
}

TEST(LinksDocument, EntityLinkFieldTypesWithoutTheWordEntityAreEntitiesToo) {
  const auto doc = links_document(parse(R"({"fields": {"P": {"type": "dna_sequence_link", "value": "seq_D"},
                           "B": {"type": "batch_link", "value": ["bat_1"]},
                           "T": {"type": "text", "value": "seq_x"}}})"));
  EXPECT_EQ(json::value(doc.at("entities")), json::parse(R"([
    {"id":"seq_D","type":"dna_sequence_link","web_url":null,"source":"entity_field"},
    {"id":"bat_1","type":"batch_link","web_url":null,"source":"entity_field"}
  ])"));
}

TEST(LinksDocument, EntitiesLinksAndResultsTables) {
  const auto doc = links_document(make_entry_data(parse(kEntry)));
  EXPECT_EQ(json::value(doc), json::parse(R"({
    "schema_version": 2,
    "entities": [
      {"id":"bfi_Q1","type":"custom_entity","web_url":"https://demo.benchling.com/demo/f/lib_x/bfi_Q1-antibody-7/edit?tab=1#top","source":"note_link"},
      {"id":"seq_S2","type":"dna_sequence","web_url":"https://demo.benchling.com/demo/f/lib_x/seq-S2-pUC19/edit","source":"note_link"},
      {"id":"bat_B4","type":"batch","web_url":"https://demo.benchling.com/b/bat_B4-lot-4","source":"note_link"},
      {"id":"bfi_F5","type":"entity_link","web_url":null,"source":"entity_field"},
      {"id":"bfi_F6","type":"entity_link","web_url":null,"source":"entity_field"}
    ],
    "links": [
      {"id":"bfi_Q1","type":"custom_entity","web_url":"https://demo.benchling.com/demo/f/lib_x/bfi_Q1-antibody-7/edit?tab=1#top"},
      {"id":"seq_S2","type":"dna_sequence","web_url":"https://demo.benchling.com/demo/f/lib_x/seq-S2-pUC19/edit"},
      {"id":"con_C3","type":"container","web_url":"https://demo.benchling.com/demo/containers/con_C3"},
      {"id":null,"type":"sql_dashboard","web_url":"https://demo.benchling.com/dash/9"},
      {"id":"bat_B4","type":"batch","web_url":"https://demo.benchling.com/b/bat_B4-lot-4"}
    ],
    "results_tables": [
      {"assay_result_schema_id":"assaysch_1","api_id":"tbl_1","name":"Readout"},
      {"assay_result_schema_id":"assaysch_1","api_id":"tbl_2","name":null}
    ]
  })"));
  std::vector<std::string> keys;
  for (const auto& kv : doc) keys.emplace_back(kv.key());
  EXPECT_EQ(keys, (std::vector<std::string>{"schema_version", "entities", "links", "results_tables"}));
}

TEST(LinksDocument, FieldsAsAListAreReadToo) {
  const auto doc = links_document(parse(R"({"fields":[{"name":"S","type":"ENTITY_LINK","value":"bfi_1"},
                                                      {"name":"T","type":"text","value":"bfi_2"}]})"));
  EXPECT_EQ(doc.at("entities"),
            json::parse(R"([{"id":"bfi_1","type":"ENTITY_LINK","web_url":null,"source":"entity_field"}])"));
  EXPECT_EQ(doc.at("links"), json::array());
  EXPECT_EQ(doc.at("results_tables"), json::array());
}

// ---- all documents ----

TEST(MetadataFiles, FiveDocumentsInWriteOrder) {
  auto files = build_metadata_files(sample_input());
  ASSERT_TRUE(files) << files.error().message;
  std::vector<std::string> names;
  for (const auto& f : *files) names.push_back(f.name);
  EXPECT_EQ(names, (std::vector<std::string>{"entry.json", "entry_data.json", "links.json", "input.json",
                                             "README.md"}));
  EXPECT_EQ((*files)[0].content_type, "application/json");
  EXPECT_EQ((*files)[4].content_type, "text/markdown; charset=utf-8");
  EXPECT_EQ(json::parse((*files)[1].body), json::value(sample_input().entry_data));
  EXPECT_EQ((*files)[1].body.substr(0, 10), "{\n  \"id\": ");  // two-space indentation
}

TEST(MetadataFiles, InvalidEntryDataWritesNothing) {
  auto in = sample_input();
  in.entry_data.erase("name");
  auto files = build_metadata_files(in);
  ASSERT_FALSE(files);
  EXPECT_EQ(files.error().message, "Missing required fields in entry_data: name. Entry ID: etr_abc123");
}

TEST(MetadataFiles, NonAsciiTextIsWrittenAsUtf8) {
  auto in = sample_input();
  in.entry_data["name"] =
      "Zellkultur \xc3\x9c"
      "bersicht \xce\xb2";
  auto files = build_metadata_files(in);
  ASSERT_TRUE(files);
  EXPECT_NE((*files)[0].body.find("\"name\": \"Zellkultur \xc3\x9c"
                                  "bersicht \xce\xb2\""),
            std::string::npos);
  EXPECT_NE((*files)[4].body.find("# EXP25000076 - Zellkultur \xc3\x9c"
                                  "bersicht \xce\xb2\n"),
            std::string::npos);
}

}  // namespace
}  // namespace bw::packaging
