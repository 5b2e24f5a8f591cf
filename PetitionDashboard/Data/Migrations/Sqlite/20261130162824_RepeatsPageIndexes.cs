using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RepeatsPageIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Petitions_ThreadId",
                table: "Petitions");

            migrationBuilder.CreateIndex(
                name: "IX_Threads_Repeats_LastReceivedOn",
                table: "Threads",
                columns: new[] { "LastReceivedOn", "FirstReceivedOn" },
                filter: "\"PetitionCount\" >= 2");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_ThreadId_ReceivedOn",
                table: "Petitions",
                columns: new[] { "ThreadId", "ReceivedOn" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Threads_Repeats_LastReceivedOn",
                table: "Threads");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_ThreadId_ReceivedOn",
                table: "Petitions");

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_ThreadId",
                table: "Petitions",
                column: "ThreadId");
        }
    }
}
