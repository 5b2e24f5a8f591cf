using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class SupervisionCaseNumberIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitions_Supervision_State",
                table: "Petitions");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Supervision_CaseNumber_State",
                table: "Petitions",
                columns: new[] { "Supervision", "CaseNumber", "State" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitions_Supervision_CaseNumber_State",
                table: "Petitions");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Supervision_State",
                table: "Petitions",
                columns: new[] { "Supervision", "State" });
        }
    }
}
