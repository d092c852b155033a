// queue/group_id.hpp: the FIFO message group of a job, pure.
#pragma once

#include <string>
#include <string_view>

namespace bw::queue {

//! An SQS MessageGroupId for `prefix` + `id` ("entry:" + entry id, "canvas:" + canvas id): printable ASCII,
//! at most 128 characters. Ids outside that alphabet or too long are replaced by a hash, so they still group
//! together. The webhook intake and the backfill both group packaging jobs with it.
std::string group_id(std::string_view prefix, std::string_view id);

}  // namespace bw::queue
