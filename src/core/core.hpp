// core/core.hpp: the public face of bw::core.
#pragma once

#include "core/backoff.hpp"
#include "core/crypto.hpp"
#include "core/encoding.hpp"
#include "core/error.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "core/time.hpp"
#include "core/version.hpp"
