using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
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
                type: "nvarchar(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ActorClass",
                table: "AuditEntries",
                type: "nvarchar(16)",
                maxLength: 16,
                nullable: true);
            Steps.AuditActorClassSteps.Up(migrationBuilder, "SqlServer");
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
