using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Statistics;

// The same tests on a real PostgreSQL server (started by test.sh): the SQL these services send differs by provider.
public sealed class WeeklyFiguresPostgresTests : WeeklyFiguresTests, IRunsOnPostgres;

public sealed class DrillDownPostgresTests : DrillDownTests, IRunsOnPostgres;

public sealed class RecomputeJobPostgresTests : RecomputeJobTests, IRunsOnPostgres;
