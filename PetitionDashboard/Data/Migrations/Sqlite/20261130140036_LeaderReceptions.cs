using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LeaderReceptions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "ReceptionBatches",
                table: "WeeklyUnitStatistics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ReceptionPeople",
                table: "WeeklyUnitStatistics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "ReceptionResolved",
                table: "WeeklyUnitStatistics",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateOnly>(
                name: "LeaderReceptionOn",
                table: "Petitions",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LeaderVisits",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    LeaderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Locality = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Record = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    RecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeaderVisits", x => x.Id);
                    table.ForeignKey(
                        name: "FK_LeaderVisits_Leaders_LeaderId",
                        column: x => x.LeaderId,
                        principalTable: "Leaders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReceptionDays",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    On = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    HalfDay = table.Column<int>(type: "INTEGER", nullable: false),
                    Place = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    LeaderId = table.Column<int>(type: "INTEGER", nullable: false),
                    Topic = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    Capacity = table.Column<int>(type: "INTEGER", nullable: false),
                    PublishedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    PublishedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReceptionDays", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReceptionDays_Leaders_LeaderId",
                        column: x => x.LeaderId,
                        principalTable: "Leaders",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "LeaderVisitPetitions",
                columns: table => new
                {
                    VisitId = table.Column<int>(type: "INTEGER", nullable: false),
                    PetitionId = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LeaderVisitPetitions", x => new { x.VisitId, x.PetitionId });
                    table.ForeignKey(
                        name: "FK_LeaderVisitPetitions_LeaderVisits_VisitId",
                        column: x => x.VisitId,
                        principalTable: "LeaderVisits",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_LeaderVisitPetitions_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "ReceptionBookings",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ReceptionDayId = table.Column<int>(type: "INTEGER", nullable: false),
                    PetitionerId = table.Column<int>(type: "INTEGER", nullable: false),
                    PeopleCount = table.Column<int>(type: "INTEGER", nullable: false),
                    PetitionId = table.Column<int>(type: "INTEGER", nullable: true),
                    Locality = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    Category = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    Demand = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    UnitId = table.Column<int>(type: "INTEGER", nullable: true),
                    WalkIn = table.Column<bool>(type: "INTEGER", nullable: false),
                    BookedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    BookedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Attended = table.Column<bool>(type: "INTEGER", nullable: true),
                    Asked = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    MinutesSpent = table.Column<int>(type: "INTEGER", nullable: true),
                    Decision = table.Column<int>(type: "INTEGER", nullable: true),
                    DecisionUnitId = table.Column<int>(type: "INTEGER", nullable: true),
                    DecisionDueOn = table.Column<DateOnly>(type: "TEXT", nullable: true),
                    AssignmentId = table.Column<int>(type: "INTEGER", nullable: true),
                    RecordedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    RecordedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReceptionBookings", x => x.Id);
                    table.ForeignKey(
                        name: "FK_ReceptionBookings_LeaderAssignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "LeaderAssignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReceptionBookings_Petitioners_PetitionerId",
                        column: x => x.PetitionerId,
                        principalTable: "Petitioners",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReceptionBookings_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReceptionBookings_ReceptionDays_ReceptionDayId",
                        column: x => x.ReceptionDayId,
                        principalTable: "ReceptionDays",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_ReceptionBookings_Units_DecisionUnitId",
                        column: x => x.DecisionUnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_ReceptionBookings_Units_UnitId",
                        column: x => x.UnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Petitions_LeaderReceptionOn",
                table: "Petitions",
                column: "LeaderReceptionOn",
                filter: "\"LeaderReceptionOn\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderVisitPetitions_PetitionId",
                table: "LeaderVisitPetitions",
                column: "PetitionId");

            migrationBuilder.CreateIndex(
                name: "IX_LeaderVisits_LeaderId_On",
                table: "LeaderVisits",
                columns: new[] { "LeaderId", "On" });

            migrationBuilder.CreateIndex(
                name: "IX_LeaderVisits_Locality_On",
                table: "LeaderVisits",
                columns: new[] { "Locality", "On" });

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionBookings_AssignmentId",
                table: "ReceptionBookings",
                column: "AssignmentId");

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionBookings_DecisionUnitId",
                table: "ReceptionBookings",
                column: "DecisionUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionBookings_PetitionerId",
                table: "ReceptionBookings",
                column: "PetitionerId");

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionBookings_PetitionId",
                table: "ReceptionBookings",
                column: "PetitionId");

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionBookings_ReceptionDayId",
                table: "ReceptionBookings",
                column: "ReceptionDayId");

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionBookings_UnitId",
                table: "ReceptionBookings",
                column: "UnitId");

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionDays_LeaderId_On_HalfDay",
                table: "ReceptionDays",
                columns: new[] { "LeaderId", "On", "HalfDay" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_ReceptionDays_On",
                table: "ReceptionDays",
                column: "On");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LeaderVisitPetitions");

            migrationBuilder.DropTable(
                name: "ReceptionBookings");

            migrationBuilder.DropTable(
                name: "LeaderVisits");

            migrationBuilder.DropTable(
                name: "ReceptionDays");

            migrationBuilder.DropIndex(
                name: "IX_Petitions_LeaderReceptionOn",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "ReceptionBatches",
                table: "WeeklyUnitStatistics");

            migrationBuilder.DropColumn(
                name: "ReceptionPeople",
                table: "WeeklyUnitStatistics");

            migrationBuilder.DropColumn(
                name: "ReceptionResolved",
                table: "WeeklyUnitStatistics");

            migrationBuilder.DropColumn(
                name: "LeaderReceptionOn",
                table: "Petitions");
        }
    }
}
