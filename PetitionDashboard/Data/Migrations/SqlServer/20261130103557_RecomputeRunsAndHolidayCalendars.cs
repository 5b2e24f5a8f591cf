using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class RecomputeRunsAndHolidayCalendars : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "HolidayCalendarRevisions",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false),
                    Number = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HolidayCalendarRevisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HolidayCalendarYears",
                columns: table => new
                {
                    Year = table.Column<int>(type: "int", nullable: false),
                    Json = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    AddedByAdmin = table.Column<bool>(type: "bit", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    SavedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HolidayCalendarYears", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "RecomputeRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Slot = table.Column<int>(type: "int", nullable: true),
                    Occurrence = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    State = table.Column<string>(type: "nvarchar(20)", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: true),
                    HeartbeatUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Attempt = table.Column<int>(type: "int", nullable: false),
                    Done = table.Column<int>(type: "int", nullable: false),
                    Total = table.Column<int>(type: "int", nullable: false),
                    CurrentWeek = table.Column<string>(type: "nvarchar(10)", maxLength: 10, nullable: true),
                    Weeks = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    SkippedWeeks = table.Column<string>(type: "nvarchar(2000)", maxLength: 2000, nullable: true),
                    ElapsedMilliseconds = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecomputeRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RecomputeRuns_Occurrence",
                table: "RecomputeRuns",
                column: "Occurrence",
                unique: true,
                filter: "[Occurrence] IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_RecomputeRuns_Slot",
                table: "RecomputeRuns",
                column: "Slot",
                unique: true,
                filter: "[Slot] IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "HolidayCalendarRevisions");

            migrationBuilder.DropTable(
                name: "HolidayCalendarYears");

            migrationBuilder.DropTable(
                name: "RecomputeRuns");
        }
    }
}
