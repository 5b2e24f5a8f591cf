using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false),
                    Number = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HolidayCalendarRevisions", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HolidayCalendarYears",
                columns: table => new
                {
                    Year = table.Column<int>(type: "INTEGER", nullable: false),
                    Json = table.Column<string>(type: "TEXT", nullable: false),
                    AddedByAdmin = table.Column<bool>(type: "INTEGER", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HolidayCalendarYears", x => x.Year);
                });

            migrationBuilder.CreateTable(
                name: "RecomputeRuns",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Slot = table.Column<int>(type: "INTEGER", nullable: true),
                    Occurrence = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    RequestedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    HeartbeatUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Attempt = table.Column<int>(type: "INTEGER", nullable: false),
                    Done = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<int>(type: "INTEGER", nullable: false),
                    CurrentWeek = table.Column<string>(type: "TEXT", maxLength: 10, nullable: true),
                    Weeks = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    SkippedWeeks = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    ElapsedMilliseconds = table.Column<long>(type: "INTEGER", nullable: true),
                    Error = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RecomputeRuns", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RecomputeRuns_Occurrence",
                table: "RecomputeRuns",
                column: "Occurrence",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_RecomputeRuns_Slot",
                table: "RecomputeRuns",
                column: "Slot",
                unique: true);
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
