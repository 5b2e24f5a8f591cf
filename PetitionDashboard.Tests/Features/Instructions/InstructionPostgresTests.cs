using PetitionDashboard.Tests.Support;

namespace PetitionDashboard.Tests.Features.Instructions;

// The same tests on a real PostgreSQL server (started by test.sh): the SQL these services send differs by provider.
public sealed class InstructionServicePostgresTests : InstructionServiceTests, IRunsOnPostgres;
