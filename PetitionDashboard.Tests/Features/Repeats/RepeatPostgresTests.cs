using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Repeats;

// The same tests on a real PostgreSQL server (started by test.sh): the SQL these services send differs by provider.
public sealed class RepeatDetectionPostgresTests : RepeatDetectionTests, IRunsOnPostgres;

public sealed class RepeatReportPostgresTests : RepeatReportTests, IRunsOnPostgres;

public sealed class ThreadLinkingPostgresTests : ThreadLinkingTests, IRunsOnPostgres;
