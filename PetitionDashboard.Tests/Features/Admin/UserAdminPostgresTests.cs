using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Admin;

// The same tests on a real PostgreSQL server (started by test.sh): the user search's SQL differs by provider.
public sealed class UserAdminServicePostgresTests : UserAdminServiceTests, IRunsOnPostgres;
