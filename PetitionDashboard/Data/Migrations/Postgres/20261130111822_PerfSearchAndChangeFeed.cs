using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class PerfSearchAndChangeFeed : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitions_State_CurrentDueDate",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_State_ReceivedOn",
                table: "Petitions");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Category_ReceivedOn",
                table: "Petitions",
                columns: new[] { "Category", "ReceivedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Due",
                table: "Petitions",
                columns: new[] { "CurrentDueDate", "CaseNumber", "ReceivedOn", "Supervision", "UnitId", "Form", "IsRepeat", "ThreadId" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Received",
                table: "Petitions",
                columns: new[] { "ReceivedOn", "CaseNumber" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            Steps.PerfSteps.Up(migrationBuilder, "PostgreSql");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Steps.PerfSteps.Down(migrationBuilder, "PostgreSql");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Category_ReceivedOn",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Due",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Received",
                table: "Petitions");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_State_CurrentDueDate",
                table: "Petitions",
                columns: new[] { "State", "CurrentDueDate" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_State_ReceivedOn",
                table: "Petitions",
                columns: new[] { "State", "ReceivedOn" });
        }
    }
}
