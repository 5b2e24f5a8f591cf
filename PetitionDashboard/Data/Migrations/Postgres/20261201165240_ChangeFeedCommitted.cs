using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ChangeFeedCommitted : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            Steps.ChangeFeedCommitSteps.Up(migrationBuilder, "PostgreSql");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Steps.ChangeFeedCommitSteps.Down(migrationBuilder, "PostgreSql");
        }
    }
}
