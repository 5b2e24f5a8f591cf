using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class PetitionIndexesForImport : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitions_ReceivedOn_IsRepeat",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_UnitId_State",
                table: "Petitions");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Petitions_ReceivedOn_IsRepeat",
                table: "Petitions",
                columns: new[] { "ReceivedOn", "IsRepeat" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_UnitId_State",
                table: "Petitions",
                columns: new[] { "UnitId", "State" });
        }
    }
}
