using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class GridIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
                name: "IX_Petitions_Category_ReceivedOn",
                table: "Petitions",
                columns: new[] { "Category", "ReceivedOn", "CaseNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Due",
                table: "Petitions",
                columns: new[] { "CurrentDueDate", "CaseNumber", "ReceivedOn", "Supervision", "UnitId", "Form", "IsRepeat", "ThreadId", "Category" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Petitioner",
                table: "Petitions",
                columns: new[] { "PetitionerNames", "CaseNumber", "CurrentDueDate", "ReceivedOn", "Supervision", "UnitId", "Form", "IsRepeat", "ThreadId", "Category" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Received",
                table: "Petitions",
                columns: new[] { "ReceivedOn", "CaseNumber", "CurrentDueDate", "Supervision", "UnitId", "Form", "IsRepeat", "ThreadId", "Category" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Supervision",
                table: "Petitions",
                columns: new[] { "Supervision", "CaseNumber", "CurrentDueDate", "ReceivedOn", "UnitId", "Form", "IsRepeat", "ThreadId", "Category" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_SupervisionDesc",
                table: "Petitions",
                columns: new[] { "Supervision", "CaseNumber", "CurrentDueDate", "ReceivedOn", "UnitId", "Form", "IsRepeat", "ThreadId", "Category" },
                descending: new[] { true, false, false, false, false, false, false, false, false },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_Open_Unit",
                table: "Petitions",
                columns: new[] { "UnitId", "CaseNumber", "CurrentDueDate", "ReceivedOn", "Supervision", "Form", "IsRepeat", "ThreadId", "Category" },
                filter: "\"State\" IN (1, 2, 3, 4, 6, 8)");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_PetitionerNames_CaseNumber",
                table: "Petitions",
                columns: new[] { "PetitionerNames", "CaseNumber" });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_UnitId_CaseNumber",
                table: "Petitions",
                columns: new[] { "UnitId", "CaseNumber" });

            Steps.GridIndexSteps.Up(migrationBuilder, "SqlServer");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Steps.GridIndexSteps.Down(migrationBuilder, "SqlServer");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Category_ReceivedOn",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Due",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Petitioner",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Received",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Supervision",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_SupervisionDesc",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_Open_Unit",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_PetitionerNames_CaseNumber",
                table: "Petitions");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_UnitId_CaseNumber",
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
        }
    }
}
