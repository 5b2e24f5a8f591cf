using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DatedHistoryForStatistics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateOnly>(
                name: "ThreadChangedOn",
                table: "Petitions",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<DateOnly>(
                name: "UnitChangedOn",
                table: "Petitions",
                type: "date",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AssignmentResolutions",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    AssignmentId = table.Column<int>(type: "integer", nullable: false),
                    ResolvedOn = table.Column<DateOnly>(type: "date", nullable: false),
                    RelapsedOn = table.Column<DateOnly>(type: "date", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AssignmentResolutions", x => x.Id);
                    table.ForeignKey(
                        name: "FK_AssignmentResolutions_LeaderAssignments_AssignmentId",
                        column: x => x.AssignmentId,
                        principalTable: "LeaderAssignments",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PetitionThreadChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PetitionId = table.Column<int>(type: "integer", nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FromThreadId = table.Column<int>(type: "integer", nullable: false),
                    FromIsRepeat = table.Column<bool>(type: "boolean", nullable: false),
                    ToThreadId = table.Column<int>(type: "integer", nullable: false),
                    ToIsRepeat = table.Column<bool>(type: "boolean", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PetitionThreadChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PetitionThreadChanges_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "PetitionUnitChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    PetitionId = table.Column<int>(type: "integer", nullable: false),
                    On = table.Column<DateOnly>(type: "date", nullable: false),
                    AtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    FromUnitId = table.Column<int>(type: "integer", nullable: false),
                    ToUnitId = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PetitionUnitChanges", x => x.Id);
                    table.ForeignKey(
                        name: "FK_PetitionUnitChanges_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_PetitionUnitChanges_Units_FromUnitId",
                        column: x => x.FromUnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_PetitionUnitChanges_Units_ToUnitId",
                        column: x => x.ToUnitId,
                        principalTable: "Units",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AssignmentResolutions_AssignmentId_ResolvedOn",
                table: "AssignmentResolutions",
                columns: new[] { "AssignmentId", "ResolvedOn" });

            migrationBuilder.CreateIndex(
                name: "IX_PetitionThreadChanges_PetitionId_On",
                table: "PetitionThreadChanges",
                columns: new[] { "PetitionId", "On" });

            migrationBuilder.CreateIndex(
                name: "IX_PetitionUnitChanges_FromUnitId",
                table: "PetitionUnitChanges",
                column: "FromUnitId");

            migrationBuilder.CreateIndex(
                name: "IX_PetitionUnitChanges_PetitionId_On",
                table: "PetitionUnitChanges",
                columns: new[] { "PetitionId", "On" });

            migrationBuilder.CreateIndex(
                name: "IX_PetitionUnitChanges_ToUnitId",
                table: "PetitionUnitChanges",
                column: "ToUnitId");
            Steps.HistorySteps.Up(migrationBuilder, "PostgreSql");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            Steps.HistorySteps.Down(migrationBuilder, "PostgreSql");

            migrationBuilder.DropTable(
                name: "AssignmentResolutions");

            migrationBuilder.DropTable(
                name: "PetitionThreadChanges");

            migrationBuilder.DropTable(
                name: "PetitionUnitChanges");

            migrationBuilder.DropColumn(
                name: "ThreadChangedOn",
                table: "Petitions");

            migrationBuilder.DropColumn(
                name: "UnitChangedOn",
                table: "Petitions");
        }
    }
}
