// queue/dead_letter_note.hpp: what the consumer writes on a message it moves to the dead-letter queue, so
// `benchling-webhook jobs` can say where it came from and why it failed. Pure.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace bw::aws {
struct SqsMessage;
}

namespace bw::queue {

//! Longest last-error note, in characters (code points).
inline constexpr std::size_t kMaxLastErrorChars = 500;

//! "<code>: <message>" of `error` as one line for a message attribute: the message the consumer logs
//! (errors never carry secrets), without the suggestion or details (details may hold URLs); control
//! characters become spaces, any URL loses its query string (a presigned URL's signature), invalid UTF-8
//! and characters SQS refuses become U+FFFD, and it is cut to kMaxLastErrorChars with "…".
std::string last_error_note(const core::Error& error);

//! The message attributes (config/queue_names.hpp names them) of the dead-letter copy of `message`, taken
//! from `source_queue` (a queue name) after failing with `error`.
std::map<std::string, std::string> dead_letter_attributes(const aws::SqsMessage& message,
                                                          std::string_view source_queue,
                                                          const core::Error& error);

//! Bytes SQS counts for message attributes (names, the "String" type and values), to keep body plus
//! attributes within its 256 KiB.
std::size_t attributes_size(const std::map<std::string, std::string>& attributes);

}  // namespace bw::queue
