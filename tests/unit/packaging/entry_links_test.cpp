#include "packaging/entry_links.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <string>
#include <tuple>
#include <vector>

namespace bw::packaging {
namespace {

namespace json = boost::json;

json::object parse(const char* text) {
  return json::parse(text).as_object();
}

//! (id, type, web_url, source) of each link, for whole-list comparisons.
using Row = std::tuple<std::string, std::string, std::string, LinkSource>;
std::vector<Row> rows(const std::vector<EntryLink>& links) {
  std::vector<Row> out;
  for (const auto& l : links) out.emplace_back(l.id, l.type, l.web_url, l.source);
  return out;
}

// A table note as Benchling's TableNotePart: links in its caption and in table.rows[].cells[].link.
const char* kEntry = R"({
  "days": [{"notes": [
    {"type": "text", "links": [{"id": "bfi_A", "type": "custom_entity", "webURL": "https://t/bfi_A-a"}]},
    {"type": "table", "links": [{"id": "box_B", "type": "box", "webURL": "https://t/box_B"}],
     "table": {"name": "Table1", "rows": [
       {"cells": [{"text": "plain"}, {"text": "x", "link": {"id": "con_C", "type": "container", "webURL": "https://t/con_C"}}]},
       {"cells": [{"text": "again", "link": {"id": "bfi_A", "type": "custom_entity", "webURL": "https://t/other"}},
                  {"text": "loc", "link": {"id": "loc_L", "type": "location"}},
                  {"text": "web", "link": {"type": "link", "webURL": "https://example.com/x"}},
                  "junk", {"link": "junk"}]},
       "junk", {"cells": "junk"}]}},
    {"type": "table", "table": "junk"}
  ]}],
  "fields": {
    "Plasmid": {"type": "dna_sequence_link", "value": "seq_D"},
    "Protein": {"type": "aa_sequence_link", "value": "prtn_P"},
    "Lot": {"type": "batch_link", "value": "bat_T"},
    "Mix": {"type": "mixture_link", "isMulti": true, "value": ["mxt_M", "", 3, "mxt_M2"]},
    "Mol": {"type": "molecule_link", "value": "mol_O"},
    "Sample": {"type": "custom_entity_link", "value": "bfi_A"},
    "Any": {"type": "entity_link", "value": "bfi_E"},
    "Text": {"type": "text", "value": "seq_not_a_link"},
    "Ref": {"type": "entry_link", "value": "etr_R"},
    "Empty": {"type": "dna_sequence_link", "value": null}
  }
})";

TEST(CollectEntryLinks, NoteLinksThenTableCellsThenFieldsEachIdOnce) {
  EXPECT_EQ(rows(collect_entry_links(parse(kEntry))),
            (std::vector<Row>{
                {"bfi_A", "custom_entity", "https://t/bfi_A-a", LinkSource::kNote},
                {"box_B", "box", "https://t/box_B", LinkSource::kNote},
                {"con_C", "container", "https://t/con_C", LinkSource::kTableCell},
                {"loc_L", "location", "", LinkSource::kTableCell},
                {"", "link", "https://example.com/x", LinkSource::kTableCell},
                {"seq_D", "dna_sequence", "", LinkSource::kField},
                {"prtn_P", "aa_sequence", "", LinkSource::kField},
                {"bat_T", "batch", "", LinkSource::kField},
                {"mxt_M", "mixture", "", LinkSource::kField},
                {"mxt_M2", "mixture", "", LinkSource::kField},
                {"mol_O", "molecule", "", LinkSource::kField},
                {"bfi_E", "entity_link", "", LinkSource::kField},
            }));
}

TEST(CollectEntryLinks, FieldsGivenAsAListAreReadToo) {
  auto links = collect_entry_links(parse(
      R"({"fields": [{"name": "P", "type": "dna_sequence_link", "value": ["seq_1", "seq_1"]}, "junk"]})"));
  EXPECT_EQ(rows(links), (std::vector<Row>{{"seq_1", "dna_sequence", "", LinkSource::kField}}));
  EXPECT_TRUE(links[0].type_value.is_string());
}

TEST(CollectNoteLinks, OnlyNoteLinksAsUpstreamDid) {
  EXPECT_EQ(rows(collect_note_links(parse(kEntry))),
            (std::vector<Row>{{"bfi_A", "custom_entity", "https://t/bfi_A-a", LinkSource::kNote},
                              {"box_B", "box", "https://t/box_B", LinkSource::kNote}}));
}

TEST(CollectEntryLinks, MalformedEntriesGiveNothing) {
  for (const char* text :
       {R"({})", R"({"days": "x", "fields": 3})", R"({"days": [{"notes": [{"table": []}]}]})",
        R"({"days": [{"notes": [{"table": {"rows": [{"cells": [{"link": {}}]}]}}]}]})"}) {
    EXPECT_TRUE(collect_entry_links(parse(text)).empty()) << text;
  }
}

TEST(FieldLinkType, EntityLinkFieldTypesOnly) {
  EXPECT_EQ(field_link_type("dna_sequence_link"), "dna_sequence");
  EXPECT_EQ(field_link_type("aa_sequence_link"), "aa_sequence");
  EXPECT_EQ(field_link_type("custom_entity_link"), "custom_entity");
  EXPECT_EQ(field_link_type("batch_link"), "batch");
  EXPECT_EQ(field_link_type("mixture_link"), "mixture");
  EXPECT_EQ(field_link_type("molecule_link"), "molecule");
  EXPECT_EQ(field_link_type("entity_link"), "entity_link");
  for (const char* other : {"text", "dropdown", "entry_link", "storage_link", "blob_link", ""}) {
    EXPECT_EQ(field_link_type(other), std::nullopt) << other;
  }
}

TEST(LookupCollection, ByTypeAsUpstreamPlusMixturesAndMolecules) {
  EXPECT_EQ(lookup_collection("custom_entity", "bfi_1"), "custom-entities");
  EXPECT_EQ(lookup_collection("dna_sequence", "seq_1"), "dna-sequences");
  EXPECT_EQ(lookup_collection("aa_sequence", "prtn_1"), "aa-sequences");
  EXPECT_EQ(lookup_collection("container", "con_1"), "containers");
  EXPECT_EQ(lookup_collection("box", "box_1"), "boxes");
  EXPECT_EQ(lookup_collection("plate", "plt_1"), "plates");
  EXPECT_EQ(lookup_collection("location", "loc_1"), "locations");
  EXPECT_EQ(lookup_collection("entry", "etr_1"), "entries");
  EXPECT_EQ(lookup_collection("mixture", "mxt_1"), "mixtures");
  EXPECT_EQ(lookup_collection("molecule", "mol_1"), "molecules");
  // The type decides, not the id: a custom entity with an unusual id is still looked up as one.
  EXPECT_EQ(lookup_collection("custom_entity", "seq_odd"), "custom-entities");
  for (const char* none : {"batch", "user", "folder", "request", "sql_dashboard", "link", "", "nonsense"}) {
    EXPECT_EQ(lookup_collection(none, "x_1"), std::nullopt) << none;
  }
  EXPECT_EQ(lookup_collection("box", ""), std::nullopt);
}

TEST(LookupCollection, AnEntityLinkFieldIsLookedUpByItsIdPrefix) {
  EXPECT_EQ(lookup_collection("entity_link", "bfi_1"), "custom-entities");
  EXPECT_EQ(lookup_collection("entity_link", "seq_1"), "dna-sequences");
  EXPECT_EQ(lookup_collection("entity_link", "prtn_1"), "aa-sequences");
  EXPECT_EQ(lookup_collection("entity_link", "mxt_1"), "mixtures");
  EXPECT_EQ(lookup_collection("entity_link", "mol_1"), "molecules");
  EXPECT_EQ(lookup_collection("entity_link", "bat_1"), std::nullopt);
  EXPECT_EQ(lookup_collection("entity_link", "xyz"), std::nullopt);
}

TEST(NameInReply, TheNameFieldOrTheWrappedEntrysName) {
  EXPECT_EQ(name_in_reply("boxes", parse(R"({"id":"box_1","name":"Freezer box 3"})")), "Freezer box 3");
  EXPECT_EQ(name_in_reply("entries", parse(R"({"entry":{"id":"etr_1","name":"Day 1 notes"}})")),
            "Day 1 notes");
  // Malformed or empty: no name.
  EXPECT_EQ(name_in_reply("entries", parse(R"({"id":"etr_1","name":"not wrapped"})")), std::nullopt);
  EXPECT_EQ(name_in_reply("entries", parse(R"({"entry":"x"})")), std::nullopt);
  EXPECT_EQ(name_in_reply("boxes", parse(R"({"id":"box_1"})")), std::nullopt);
  EXPECT_EQ(name_in_reply("boxes", parse(R"({"name":""})")), std::nullopt);
  EXPECT_EQ(name_in_reply("boxes", parse(R"({"name":7})")), std::nullopt);
}

}  // namespace
}  // namespace bw::packaging
