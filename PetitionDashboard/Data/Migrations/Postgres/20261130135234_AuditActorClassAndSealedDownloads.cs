using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class AuditActorClassAndSealedDownloads : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "KeyId",
                table: "PreparedFiles",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true,
                collation: "C");

            migrationBuilder.AddColumn<string>(
                name: "ActorClass",
                table: "AuditEntries",
                type: "character varying(16)",
                maxLength: 16,
                nullable: true,
                collation: "C");
            Steps.AuditActorClassSteps.Up(migrationBuilder, "PostgreSql");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "KeyId",
                table: "PreparedFiles");

            migrationBuilder.DropColumn(
                name: "ActorClass",
                table: "AuditEntries");
        }
    }
}
