#include "core/json.hpp"

#include <algorithm>
#include <cmath>

#include "core/utf8.hpp"

namespace bw::core {

Result<boost::json::value> parse_json(std::string_view text, std::string_view what, std::size_t max_bytes,
                                      boost::json::storage_ptr storage) {
  if (text.size() > max_bytes) {
    return make_error(ErrorCode::kRemote, std::string(what) + " is too large")
        .with("size", std::to_string(text.size()))
        .with("limit", std::to_string(max_bytes));
  }
  boost::json::parse_options opts;
  opts.max_depth = 64;
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec, std::move(storage), opts);
  if (ec) {
    return make_error(ErrorCode::kRemote, std::string(what) + " is not valid JSON")
        .with("parse error", ec.message());
  }
  return v;
}

std::optional<std::string> get_string(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return std::nullopt;
  return std::string(it->value().get_string());
}

std::string get_clipped_string(const boost::json::object& obj, std::string_view key, std::size_t max_bytes) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_string()) return {};
  return std::string(utf8_prefix(it->value().get_string(), max_bytes));
}

Result<std::string> get_optional_string(const boost::json::object& obj, std::string_view key,
                                        std::size_t max_bytes) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::string();
  if (!it->value().is_string()) return make_error(ErrorCode::kRemote, std::string(key) + " is not a string");
  const auto& s = it->value().get_string();
  if (s.size() > max_bytes) return make_error(ErrorCode::kRemote, std::string(key) + " is too long");
  return std::string(s);
}

Result<std::span<const boost::json::value>> get_optional_array(const boost::json::object& obj,
                                                               std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || it->value().is_null()) return std::span<const boost::json::value>();
  if (!it->value().is_array()) return make_error(ErrorCode::kRemote, std::string(key) + " is not an array");
  const auto& array = it->value().get_array();
  return std::span<const boost::json::value>(array.data(), array.size());
}

namespace {
void pretty(std::string& out, const boost::json::value& v, int indent) {
  auto pad = [&out](int n) { out.append(std::size_t(n), ' '); };
  switch (v.kind()) {
    case boost::json::kind::object: {
      const auto& obj = v.get_object();
      if (obj.empty()) {
        out += "{}";
        return;
      }
      out += "{\n";
      bool first = true;
      for (const auto& kv : obj) {
        if (!first) out += ",\n";
        first = false;
        pad(indent + 2);
        out += boost::json::serialize(boost::json::value(kv.key()));
        out += ": ";
        pretty(out, kv.value(), indent + 2);
      }
      out += "\n";
      pad(indent);
      out += "}";
      return;
    }
    case boost::json::kind::array: {
      const auto& arr = v.get_array();
      if (arr.empty()) {
        out += "[]";
        return;
      }
      out += "[\n";
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (i) out += ",\n";
        pad(indent + 2);
        pretty(out, arr[i], indent + 2);
      }
      out += "\n";
      pad(indent);
      out += "]";
      return;
    }
    default:
      out += boost::json::serialize(v);
  }
}
}  // namespace

std::string to_pretty_json(const boost::json::value& v) {
  std::string out;
  pretty(out, v, 0);
  return out;
}

std::optional<SystemTime> get_epoch_seconds(const boost::json::object& obj, std::string_view key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->value().is_number()) return std::nullopt;
  const double seconds = it->value().to_number<double>();
  if (!std::isfinite(seconds) || seconds < 0 || seconds >= 9e9) return std::nullopt;
  // Rounded, not truncated: 1717171717.25 must not become ...249 ms.
  return SystemTime(std::chrono::milliseconds(std::llround(seconds * 1000)));
}

std::string line_column(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return "line " + std::to_string(line) + " column " + std::to_string(column);
}

}  // namespace bw::core
