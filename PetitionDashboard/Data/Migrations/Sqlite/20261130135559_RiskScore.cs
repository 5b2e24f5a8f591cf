using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class RiskScore : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "RiskModels",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    TrainedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    CutoffOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    EvaluatedToOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    TrainPetitions = table.Column<int>(type: "INTEGER", nullable: false),
                    TrainSamples = table.Column<int>(type: "INTEGER", nullable: false),
                    TrainPositives = table.Column<int>(type: "INTEGER", nullable: false),
                    EvalPetitions = table.Column<int>(type: "INTEGER", nullable: false),
                    EvalSamples = table.Column<int>(type: "INTEGER", nullable: false),
                    EvalPositives = table.Column<int>(type: "INTEGER", nullable: false),
                    Auc = table.Column<double>(type: "REAL", nullable: false),
                    TopFivePrecision = table.Column<double>(type: "REAL", nullable: false),
                    TopTenPrecision = table.Column<double>(type: "REAL", nullable: false),
                    BaselineAuc = table.Column<double>(type: "REAL", nullable: false),
                    BaselineTopFivePrecision = table.Column<double>(type: "REAL", nullable: false),
                    BaselineTopTenPrecision = table.Column<double>(type: "REAL", nullable: false),
                    HighThreshold = table.Column<double>(type: "REAL", nullable: false),
                    Deployed = table.Column<bool>(type: "INTEGER", nullable: false),
                    NotDeployedReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    TrainingMilliseconds = table.Column<long>(type: "INTEGER", nullable: false),
                    ScoringMilliseconds = table.Column<long>(type: "INTEGER", nullable: false),
                    ScoredPetitions = table.Column<int>(type: "INTEGER", nullable: false),
                    TrainedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Model = table.Column<byte[]>(type: "BLOB", nullable: true),
                    Reference = table.Column<string>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskModels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RiskScores",
                columns: table => new
                {
                    PetitionId = table.Column<int>(type: "INTEGER", nullable: false),
                    Score = table.Column<double>(type: "REAL", nullable: false),
                    High = table.Column<bool>(type: "INTEGER", nullable: false),
                    ModelId = table.Column<int>(type: "INTEGER", nullable: false),
                    ScoredAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Reasons = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskScores", x => x.PetitionId);
                    table.ForeignKey(
                        name: "FK_RiskScores_Petitions_PetitionId",
                        column: x => x.PetitionId,
                        principalTable: "Petitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_RiskModels_Deployed_Id",
                table: "RiskModels",
                columns: new[] { "Deployed", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskScores_High_PetitionId",
                table: "RiskScores",
                columns: new[] { "High", "PetitionId" });

            migrationBuilder.CreateIndex(
                name: "IX_RiskScores_Score",
                table: "RiskScores",
                column: "Score");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "RiskModels");

            migrationBuilder.DropTable(
                name: "RiskScores");
        }
    }
}
