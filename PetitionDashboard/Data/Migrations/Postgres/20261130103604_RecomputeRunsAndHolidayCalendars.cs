using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false),
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
                    Year = table.Column<int>(type: "integer", nullable: false),
                    Json = table.Column<string>(type: "text", nullable: false, collation: "C"),
                    AddedByAdmin = table.Column<bool>(type: "boolean", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    SavedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C")
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
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Slot = table.Column<int>(type: "integer", nullable: true),
                    Occurrence = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true, collation: "C"),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    RequestedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    RequestedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    FinishedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    HeartbeatUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Attempt = table.Column<int>(type: "integer", nullable: false),
                    Done = table.Column<int>(type: "integer", nullable: false),
                    Total = table.Column<int>(type: "integer", nullable: false),
                    CurrentWeek = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: true, collation: "C"),
                    Weeks = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    SkippedWeeks = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true, collation: "C"),
                    ElapsedMilliseconds = table.Column<long>(type: "bigint", nullable: true),
                    Error = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true, collation: "C")
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
