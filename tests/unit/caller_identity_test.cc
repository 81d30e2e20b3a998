// How a Relais process presents itself to another: its token file (renewed without a restart) or,
// only in development mode, the development headers.
#include "services/runtime/caller_identity.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>

namespace relais {
namespace {

class CallerIdentityTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "relais_caller_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr) << std::strerror(errno);
    dir_ = pattern;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Writes `content` to a new file and renames it over `name`, as a deployment renews a token.
  std::string Replace(const std::string& name, const std::string& content) {
    const std::filesystem::path target = dir_ / name;
    const std::filesystem::path fresh = dir_ / (name + ".new");
    std::ofstream(fresh) << content;
    std::filesystem::rename(fresh, target);
    return target.string();
  }

  std::filesystem::path dir_;
};

TEST_F(CallerIdentityTest, ATokenFileIsReadAgainWhenItIsReplaced) {
  const std::string path = Replace("svc.jwt", "first.token.one\n");
  auto file = TokenFile::Open(path);
  ASSERT_TRUE(file.ok()) << file.status();
  EXPECT_EQ((*file)->Current(), "first.token.one");  // trailing newline dropped
  EXPECT_EQ((*file)->Current(), "first.token.one");

  Replace("svc.jwt", "second.token.two\n");
  EXPECT_EQ((*file)->Current(), "second.token.two");

  // A file that disappears keeps the last token read: the callee decides when it expires.
  std::filesystem::remove(path);
  EXPECT_EQ((*file)->Current(), "second.token.two");
}

TEST_F(CallerIdentityTest, AMissingOrEmptyTokenFileStopsTheStartNamingIt) {
  auto missing = TokenFile::Open((dir_ / "none.jwt").string());
  EXPECT_EQ(missing.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(missing.status().message().find("none.jwt"), std::string_view::npos);
  auto empty = TokenFile::Open(Replace("empty.jwt", "  \n"));
  EXPECT_EQ(empty.status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(CallerIdentityTest, WithoutATokenOnlyDevelopmentModeMayCall) {
  ServerOptions options;
  auto refused = CallerIdentity::FromOptions(options, "svc-gateway", "dashboard");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_NE(refused.status().message().find("service_token"), std::string_view::npos);

  options.insecure_dev_identity = true;
  auto dev = CallerIdentity::FromOptions(options, "svc-gateway", "dashboard");
  ASSERT_TRUE(dev.ok()) << dev.status();
  EXPECT_NE((*dev)->credentials(), nullptr);

  // A token wins over development mode; TLS without a CA to check servers with is refused.
  options.service_token_path = Replace("svc.jwt", "a.b.c");
  EXPECT_TRUE(CallerIdentity::FromOptions(options, "svc-gateway", "dashboard").ok());
  options.tls_cert = (dir_ / "cert.pem").string();
  EXPECT_EQ(CallerIdentity::FromOptions(options, "svc-gateway", "dashboard").status().code(),
            absl::StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace relais
