using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorClass",
                table: "AuditEntries",
                type: "TEXT",
                maxLength: 16,
                nullable: true);
            Steps.AuditActorClassSteps.Up(migrationBuilder, "Sqlite");
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
