// bench/verify_bench.cpp: cost of verifying one Benchling webhook delivery (runtime-spec §4.2).
// The baseline is a bare EVP_PKEY_verify on a prepared context, i.e. what `openssl speed ecdsap256`
// measures; the ratio shows what parsing, hashing and context setup add on top.
#include <benchmark/benchmark.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>
#include <stdexcept>
#include <string>

#include "benchling/jwks.hpp"
#include "benchling/signature.hpp"
#include "core/encoding.hpp"

namespace {

using namespace bw;

constexpr std::int64_t kTimestamp = 1717171717;
const std::string kBody =
    R"({"version":"0","baseURL":"https://acme.benchling.com","tenantId":"ten_abc123","app":{"id":"app_5tQz"},)"
    R"("appDefinition":{"id":"appdef_8YhR","versionNumber":"1.0.0"},"channel":"app_signals",)"
    R"("message":{"type":"v2.app.installed","deprecated":false,"installation":{"id":"ins_1"}}})";

struct Signer {
  Signer() : key(EVP_EC_gen("P-256"), EVP_PKEY_free) {
    if (!key) throw std::runtime_error("EVP_EC_gen failed");
  }
  std::string sign(const std::string& content) const {
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    std::size_t len = 0;
    EVP_DigestSignInit_ex(ctx.get(), nullptr, "SHA256", nullptr, nullptr, key.get(), nullptr);
    EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(content.data()),
                   content.size());
    std::string sig(len, '\0');
    EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(content.data()), content.size());
    sig.resize(len);
    return sig;
  }
  //! {"kty":"EC","crv":"P-256","x":...,"y":...} from the uncompressed public point.
  std::string jwk(const std::string& kid) const {
    unsigned char point[65];
    std::size_t len = 0;
    EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &len);
    std::string p(reinterpret_cast<char*>(point), len);
    return R"({"kty":"EC","crv":"P-256","kid":")" + kid + R"(","x":")" +
           core::base64url_encode(p.substr(1, 32)) + R"(","y":")" + core::base64url_encode(p.substr(33, 32)) +
           "\"}";
  }
  std::shared_ptr<EVP_PKEY> key;
};

struct Fixture {
  Fixture() {
    const std::string id = "msg_2hVvMxwq8Tz1Q9yOeXkF3c", ts = std::to_string(kTimestamp);
    content = id + "." + ts + "." + kBody;
    der = signer_b.sign(content);
    headers = {{"webhook-id", id},
               {"webhook-timestamp", ts},
               {"webhook-signature", "v1der," + core::base64_encode(der)}};
    one_key = benchling::parse_jwks(R"({"keys":[)" + signer_b.jwk("b") + "]}").value();
    two_keys =
        benchling::parse_jwks(R"({"keys":[)" + signer_a.jwk("a") + "," + signer_b.jwk("b") + "]}").value();
  }
  Signer signer_a, signer_b;
  std::string content, der;
  http::Headers headers;
  benchling::PublicKeys one_key, two_keys;
  core::SystemTime now{std::chrono::seconds(kTimestamp + 1)};
};

const Fixture& fixture() {
  static const Fixture f;
  return f;
}

void BM_VerifyOneKey(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    auto r = benchling::verify_signature(f.headers, kBody, f.one_key, f.now);
    if (!r.ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_VerifyOneKey);

void BM_VerifyTwoKeysSignerSecond(benchmark::State& state) {
  const auto& f = fixture();
  for (auto _ : state) {
    auto r = benchling::verify_signature(f.headers, kBody, f.two_keys, f.now);
    if (!r.ok) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(r);
  }
}
BENCHMARK(BM_VerifyTwoKeysSignerSecond);

// Reference: one ECDSA verify of a fixed digest on a context prepared once (`openssl speed`'s loop).
void BM_BareEcdsaVerifyBaseline(benchmark::State& state) {
  const auto& f = fixture();
  unsigned char digest[32];
  unsigned int dlen = 0;
  EVP_Digest(f.content.data(), f.content.size(), digest, &dlen, EVP_sha256(), nullptr);
  std::unique_ptr<EVP_PKEY_CTX, decltype(&EVP_PKEY_CTX_free)> ctx(
      EVP_PKEY_CTX_new_from_pkey(nullptr, f.one_key[0].pkey(), nullptr), EVP_PKEY_CTX_free);
  EVP_PKEY_verify_init(ctx.get());
  for (auto _ : state) {
    int rc = EVP_PKEY_verify(ctx.get(), reinterpret_cast<const unsigned char*>(f.der.data()), f.der.size(),
                             digest, dlen);
    if (rc != 1) state.SkipWithError("verification failed");
    benchmark::DoNotOptimize(rc);
  }
}
BENCHMARK(BM_BareEcdsaVerifyBaseline);

}  // namespace
