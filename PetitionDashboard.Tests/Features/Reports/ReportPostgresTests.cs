using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Reports;

// The same tests on a real PostgreSQL server (started by test.sh): the SQL these services send differs by provider.
public sealed class SupervisionReportPostgresTests : SupervisionReportTests, IRunsOnPostgres;

public sealed class SupervisionNoticePostgresTests : SupervisionNoticeTests, IRunsOnPostgres;
