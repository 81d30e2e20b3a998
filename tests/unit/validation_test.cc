#include "services/runtime/validation.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>

#include "absl/strings/match.h"
#include "relais/v1/common.pb.h"

namespace relais::testing {
namespace {

using ::testing::HasSubstr;

MATCHER_P(IsInvalid, prefix, "is INVALID_ARGUMENT starting with the field path") {
  *result_listener << "status is " << arg.ToString();
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         absl::StartsWith(arg.message(), prefix);
}

std::string Message(const absl::Status& status) { return std::string(status.message()); }

TEST(FieldPath, BuildsDottedAndIndexedPaths) {
  EXPECT_EQ(FieldPath("needs").Index(2).Field("resource").Field("code").str(),
            "needs[2].resource.code");
  EXPECT_EQ(FieldPath().Field("title").str(), "title");
  EXPECT_EQ(FieldPath("update_mask").str(), "update_mask");
}

TEST(InvalidField, PrefixesTheMessageWithThePath) {
  const absl::Status status = InvalidField(FieldPath("area").Field("radius_km"), "too big");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(Message(status), "area.radius_km: too big");
}

TEST(Utf8Length, CountsCodePointsAndRejectsMalformedText) {
  EXPECT_EQ(Utf8Length(""), 0);
  EXPECT_EQ(Utf8Length("abc"), 3);
  EXPECT_EQ(Utf8Length("Choléra"), 7);            // é is 2 bytes
  EXPECT_EQ(Utf8Length("\xe2\x82\xac"), 1);       // €
  EXPECT_EQ(Utf8Length("\xf0\x9f\x9a\x91"), 1);   // ambulance emoji, 4 bytes
  EXPECT_EQ(Utf8Length("\xc3"), -1);              // truncated
  EXPECT_EQ(Utf8Length("\xc0\xaf"), -1);          // overlong '/'
  EXPECT_EQ(Utf8Length("\xed\xa0\x80"), -1);      // UTF-16 surrogate
  EXPECT_EQ(Utf8Length("\xf4\x90\x80\x80"), -1);  // past U+10FFFF
  EXPECT_EQ(Utf8Length("\xff"), -1);
}

TEST(CheckText, RequiredMeansNotBlank) {
  EXPECT_THAT(CheckRequiredText("title", "", 10), IsInvalid("title: is required"));
  EXPECT_THAT(CheckRequiredText("title", "   \t", 10), IsInvalid("title: is required"));
  EXPECT_TRUE(CheckRequiredText("title", "x", 10).ok());
}

TEST(CheckText, CountsCharactersNotBytes) {
  std::string accented;
  for (int i = 0; i < 200; ++i) accented += "é";  // 400 bytes, 200 characters
  EXPECT_TRUE(CheckRequiredText("title", accented, 200).ok());
  accented += "é";
  const absl::Status too_long = CheckRequiredText("title", accented, 200);
  EXPECT_THAT(too_long, IsInvalid("title: must be at most 200 characters"));
  EXPECT_THAT(Message(too_long), HasSubstr("got 201"));
}

TEST(CheckText, EnforcesTheMinimum) {
  EXPECT_THAT(CheckText("title", "ab", 3, 200), IsInvalid("title: must be at least 3 characters"));
  EXPECT_TRUE(CheckText("title", "abc", 3, 200).ok());
  EXPECT_TRUE(CheckText("title", "été", 3, 200).ok());
}

TEST(CheckText, RefusesInvalidUtf8) {
  EXPECT_THAT(CheckRequiredText("title", "ab\xc3", 10), IsInvalid("title: must be valid UTF-8"));
}

TEST(CheckText, RefusesControlCharactersExceptBreaksInMultiLineText) {
  EXPECT_THAT(CheckRequiredText("title", "a\nb", 10), IsInvalid("title: must not contain control"));
  EXPECT_THAT(CheckRequiredText("title", "a\tb", 10), IsInvalid("title: must not contain control"));
  EXPECT_THAT(CheckRequiredText("title", std::string("a\0b", 3), 10),
              IsInvalid("title: must not contain control"));
  EXPECT_THAT(CheckRequiredText("title", "a\x7f", 10),
              IsInvalid("title: must not contain control"));
  EXPECT_THAT(CheckRequiredText("title", "a\xc2\x85", 10),  // U+0085, a C1 control
              IsInvalid("title: must not contain control"));
  EXPECT_TRUE(CheckRequiredText("description", "line 1\n\tline 2", 100, TextKind::kMultiLine).ok());
  EXPECT_THAT(CheckRequiredText("description", "a\rb", 100, TextKind::kMultiLine),
              IsInvalid("description: must not contain control"));
}

TEST(CheckText, OptionalAcceptsEmptyButStillChecksContent) {
  EXPECT_TRUE(CheckOptionalText("commune", "", 5).ok());
  EXPECT_TRUE(CheckOptionalText("commune", "Bron", 5).ok());
  EXPECT_THAT(CheckOptionalText("commune", "Villeurbanne", 5),
              IsInvalid("commune: must be at most 5 characters"));
  EXPECT_THAT(CheckOptionalText("commune", "a\x01", 5), IsInvalid("commune: must not contain"));
}

TEST(CheckIntRange, IsInclusive) {
  EXPECT_TRUE(CheckIntRange("quantity", 1, 1, 10000).ok());
  EXPECT_TRUE(CheckIntRange("quantity", 10000, 1, 10000).ok());
  EXPECT_THAT(CheckIntRange("quantity", 0, 1, 10000),
              IsInvalid("quantity: must be between 1 and 10000 (got 0)"));
  EXPECT_THAT(CheckIntRange("quantity", 10001, 1, 10000), IsInvalid("quantity: must be between"));
}

TEST(CheckDoubleRange, RefusesNonFiniteValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const double inf = std::numeric_limits<double>::infinity();
  EXPECT_TRUE(CheckDoubleRange("lat", -90, -90, 90).ok());
  EXPECT_TRUE(CheckDoubleRange("lat", 90, -90, 90).ok());
  EXPECT_THAT(CheckDoubleRange("lat", 90.0001, -90, 90), IsInvalid("lat: must be between -90"));
  EXPECT_THAT(CheckDoubleRange("lat", nan, -90, 90), IsInvalid("lat: must be a finite number"));
  EXPECT_THAT(CheckDoubleRange("lat", inf, -90, 90), IsInvalid("lat: must be a finite number"));
  EXPECT_THAT(CheckDoubleRange("lat", -inf, -90, 90), IsInvalid("lat: must be a finite number"));
}

TEST(CheckDoubleAboveAtMost, ExcludesTheLowerBound) {
  EXPECT_THAT(CheckDoubleAboveAtMost("area.radius_km", 0, 0, 20000),
              IsInvalid("area.radius_km: must be greater than 0 and at most 20000"));
  EXPECT_TRUE(CheckDoubleAboveAtMost("area.radius_km", 0.001, 0, 20000).ok());
  EXPECT_TRUE(CheckDoubleAboveAtMost("area.radius_km", 20000, 0, 20000).ok());
  EXPECT_THAT(CheckDoubleAboveAtMost("area.radius_km", 20000.5, 0, 20000),
              IsInvalid("area.radius_km: must be greater than 0"));
  EXPECT_THAT(CheckDoubleAboveAtMost("area.radius_km", std::nan(""), 0, 20000),
              IsInvalid("area.radius_km: must be a finite number"));
}

TEST(CheckEnum, RequiredRefusesUnspecifiedAndUnknownValues) {
  EXPECT_TRUE(
      CheckRequiredEnum("severity", relais::v1::SEVERITY_SEVERE, &relais::v1::Severity_IsValid)
          .ok());
  EXPECT_THAT(CheckRequiredEnum("severity", relais::v1::SEVERITY_UNSPECIFIED,
                                &relais::v1::Severity_IsValid),
              IsInvalid("severity: is required"));
  EXPECT_THAT(CheckRequiredEnum("severity", 42, &relais::v1::Severity_IsValid),
              IsInvalid("severity: unknown value 42"));
}

TEST(CheckEnum, OptionalAcceptsUnspecified) {
  EXPECT_TRUE(CheckOptionalEnum("status", 0, &relais::v1::Severity_IsValid).ok());
  EXPECT_THAT(CheckOptionalEnum("status", -1, &relais::v1::Severity_IsValid),
              IsInvalid("status: unknown value -1"));
}

TEST(CheckMaxCount, CountsEntries) {
  EXPECT_TRUE(CheckMaxCount("needs", 100, 100).ok());
  EXPECT_THAT(CheckMaxCount("needs", 101, 100), IsInvalid("needs: must have at most 100 entries"));
}

TEST(CheckPresent, NamesTheMissingMessage) {
  EXPECT_TRUE(CheckPresent("area", true).ok());
  EXPECT_THAT(CheckPresent("area.center", false), IsInvalid("area.center: is required"));
}

TEST(CheckRequestId, AcceptsUuidsAndRefusesOtherCharacters) {
  EXPECT_TRUE(CheckRequestId("3f2b8c1e-6d0a-4e55-9b7c-2a1d5e8f9c10").ok());
  EXPECT_TRUE(CheckRequestId("relaisctl:declare.1_a").ok());
  EXPECT_TRUE(CheckRequestId(std::string(128, 'a')).ok());
  EXPECT_THAT(CheckRequestId(""), IsInvalid("request_id: is required"));
  EXPECT_THAT(CheckRequestId(std::string(129, 'a')), IsInvalid("request_id: must be 1 to 128"));
  EXPECT_THAT(CheckRequestId("a b"), IsInvalid("request_id: must be 1 to 128"));
  EXPECT_THAT(CheckRequestId("a/b"), IsInvalid("request_id: must be 1 to 128"));
  EXPECT_THAT(CheckRequestId("é"), IsInvalid("request_id: must be 1 to 128"));
}

TEST(CheckResourceId, AcceptsServerIds) {
  EXPECT_TRUE(CheckResourceId("crisis_id", "crs_01KZ8Q0ZQ5V3XG7M4A2B6C9D1E").ok());
  EXPECT_TRUE(CheckResourceId("crisis_id", std::string(64, 'x')).ok());
  EXPECT_THAT(CheckResourceId("crisis_id", ""), IsInvalid("crisis_id: is required"));
  EXPECT_THAT(CheckResourceId("crisis_id", std::string(65, 'x')), IsInvalid("crisis_id: "));
  EXPECT_THAT(CheckResourceId("crisis_id", "crs:1"), IsInvalid("crisis_id: 'crs:1' is not an id"));
  EXPECT_THAT(CheckResourceId("need_id", "../x"), IsInvalid("need_id: "));
}

TEST(CheckCountryCode, WantsTwoCapitals) {
  EXPECT_TRUE(CheckCountryCode("area.country", "FR").ok());
  EXPECT_TRUE(CheckCountryCode("area.country", "HT").ok());
  EXPECT_THAT(CheckCountryCode("area.country", ""), IsInvalid("area.country: is required"));
  for (const char* bad : {"fr", "F", "FRA", "F1", "Fr", "É"}) {
    EXPECT_THAT(CheckCountryCode("area.country", bad), IsInvalid("area.country: '")) << bad;
  }
}

TEST(CheckLanguageCode, WantsTwoLowerCaseLetters) {
  EXPECT_TRUE(CheckLanguageCode("languages[0]", "fr").ok());
  EXPECT_TRUE(CheckLanguageCode("languages[0]", "ar").ok());
  for (const char* bad : {"", "FR", "f", "fra", "f1", "fr-FR"}) {
    EXPECT_THAT(CheckLanguageCode("languages[0]", bad), IsInvalid("languages[0]: ")) << bad;
  }
}

TEST(CheckExpectedVersionField, AcceptsZeroAndPositiveVersions) {
  EXPECT_TRUE(CheckExpectedVersionField("expected_version", 0).ok());
  EXPECT_TRUE(CheckExpectedVersionField("expected_version", 7).ok());
  EXPECT_THAT(CheckExpectedVersionField("expected_version", -1), IsInvalid("expected_version: "));
}

google::protobuf::Timestamp Ts(int64_t seconds, int32_t nanos = 0) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(seconds);
  ts.set_nanos(nanos);
  return ts;
}

TEST(CheckTimestamp, AcceptsTheYears2000To2100) {
  constexpr int64_t k2000 = 946'684'800;    // 2000-01-01T00:00:00Z
  constexpr int64_t k2101 = 4'133'980'800;  // 2101-01-01T00:00:00Z
  EXPECT_TRUE(CheckTimestamp("starts_at", Ts(k2000)).ok());
  EXPECT_TRUE(CheckTimestamp("starts_at", Ts(k2101 - 1, 999'999'999)).ok());
  EXPECT_THAT(CheckTimestamp("starts_at", Ts(k2000 - 1)),
              IsInvalid("starts_at: must be within the years 2000 to 2100"));
  EXPECT_THAT(CheckTimestamp("starts_at", Ts(k2101)), IsInvalid("starts_at: must be within"));
  EXPECT_THAT(CheckTimestamp("starts_at", Ts(0)), IsInvalid("starts_at: must be within"));
  EXPECT_THAT(CheckTimestamp("starts_at", Ts(k2000, -1)), IsInvalid("starts_at: nanos must be"));
  EXPECT_THAT(CheckTimestamp("starts_at", Ts(k2000, 1'000'000'000)),
              IsInvalid("starts_at: nanos must be"));
}

TEST(CheckPageSize, DefaultsZeroAndCapsAt200) {
  EXPECT_EQ(*CheckPageSize(0), 50);
  EXPECT_EQ(*CheckPageSize(1), 1);
  EXPECT_EQ(*CheckPageSize(200), 200);
  EXPECT_THAT(CheckPageSize(201).status(), IsInvalid("page_size: must be between 1 and 200"));
  EXPECT_THAT(CheckPageSize(-1).status(), IsInvalid("page_size: "));
  EXPECT_EQ(EffectivePageSize(0), 50);
  EXPECT_EQ(EffectivePageSize(20), 20);
}

google::protobuf::FieldMask Mask(std::initializer_list<const char*> paths) {
  google::protobuf::FieldMask mask;
  for (const char* p : paths) mask.add_paths(p);
  return mask;
}

class UpdateMaskTest : public ::testing::Test {
 protected:
  const UpdateMaskRules rules_{{"title", "area.commune"},
                               {{"status", "use ActivateCrisis, PauseCrisis or CloseCrisis"}}};
};

TEST_F(UpdateMaskTest, AcceptsAllowedPaths) {
  EXPECT_TRUE(CheckUpdateMask(Mask({"title"}), rules_).ok());
  EXPECT_TRUE(CheckUpdateMask(Mask({"title", "area.commune"}), rules_).ok());
}

TEST_F(UpdateMaskTest, RefusesAnEmptyMask) {
  EXPECT_THAT(CheckUpdateMask(Mask({}), rules_),
              IsInvalid("update_mask: must name at least one field of: title, area.commune"));
}

TEST_F(UpdateMaskTest, ExplainsRefusedPaths) {
  const absl::Status status = CheckUpdateMask(Mask({"title", "status"}), rules_);
  EXPECT_THAT(status, IsInvalid("update_mask: 'status' cannot be updated here"));
  EXPECT_THAT(Message(status), HasSubstr("use ActivateCrisis"));
}

TEST_F(UpdateMaskTest, RefusesUnknownPathsAndListsTheAllowedOnes) {
  const absl::Status status = CheckUpdateMask(Mask({"colour"}), rules_);
  EXPECT_THAT(status, IsInvalid("update_mask: unknown path 'colour'"));
  EXPECT_THAT(Message(status), HasSubstr("allowed: title, area.commune"));
  // A prefix or a child of an allowed path is not the allowed path.
  EXPECT_THAT(CheckUpdateMask(Mask({"area"}), rules_), IsInvalid("update_mask: unknown path"));
  EXPECT_THAT(CheckUpdateMask(Mask({"title.x"}), rules_), IsInvalid("update_mask: unknown path"));
}

TEST_F(UpdateMaskTest, RefusesAPathNamedTwice) {
  EXPECT_THAT(CheckUpdateMask(Mask({"title", "title"}), rules_),
              IsInvalid("update_mask: 'title' is named twice"));
}

TEST_F(UpdateMaskTest, QuotesHostileInputSafely) {
  const absl::Status status = CheckUpdateMask(Mask({"a\nb"}), rules_);
  EXPECT_THAT(status, IsInvalid("update_mask: unknown path 'a?b'"));
}

// Found by tests/fuzz: the 40-byte cut of a quoted value fell inside "é", so the message was not
// valid UTF-8 (clients decoding it as UTF-8 choke on it).
TEST(Quoted, CutsLongValuesBetweenCharacters) {
  EXPECT_EQ(Quoted("a\tb"), "'a?b'");
  EXPECT_EQ(Quoted(std::string(40, 'x')), "'" + std::string(40, 'x') + "'");
  EXPECT_EQ(Quoted(std::string(39, 'x') + "é"), "'" + std::string(39, 'x') + "...'");
  EXPECT_EQ(Quoted(std::string(38, 'x') + "éz"), "'" + std::string(38, 'x') + "é...'");
  const absl::Status status = CheckResourceId("crisis_id", std::string(39, 'a') + "é");
  EXPECT_GE(Utf8Length(std::string(status.message())), 0) << status;
}

TEST(MaskHas, MatchesWholePathsOnly) {
  const auto mask = Mask({"area.commune", "title"});
  EXPECT_TRUE(MaskHas(mask, "title"));
  EXPECT_TRUE(MaskHas(mask, "area.commune"));
  EXPECT_FALSE(MaskHas(mask, "area"));
  EXPECT_FALSE(MaskHas(mask, "tit"));
}

}  // namespace
}  // namespace relais::testing
