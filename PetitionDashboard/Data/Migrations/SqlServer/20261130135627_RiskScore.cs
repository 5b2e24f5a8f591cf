using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
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
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    TrainedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    CutoffOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EvaluatedToOn = table.Column<DateOnly>(type: "date", nullable: false),
                    TrainPetitions = table.Column<int>(type: "int", nullable: false),
                    TrainSamples = table.Column<int>(type: "int", nullable: false),
                    TrainPositives = table.Column<int>(type: "int", nullable: false),
                    EvalPetitions = table.Column<int>(type: "int", nullable: false),
                    EvalSamples = table.Column<int>(type: "int", nullable: false),
                    EvalPositives = table.Column<int>(type: "int", nullable: false),
                    Auc = table.Column<double>(type: "float", nullable: false),
                    TopFivePrecision = table.Column<double>(type: "float", nullable: false),
                    TopTenPrecision = table.Column<double>(type: "float", nullable: false),
                    BaselineAuc = table.Column<double>(type: "float", nullable: false),
                    BaselineTopFivePrecision = table.Column<double>(type: "float", nullable: false),
                    BaselineTopTenPrecision = table.Column<double>(type: "float", nullable: false),
                    HighThreshold = table.Column<double>(type: "float", nullable: false),
                    Deployed = table.Column<bool>(type: "bit", nullable: false),
                    NotDeployedReason = table.Column<string>(type: "nvarchar(500)", maxLength: 500, nullable: true),
                    TrainingMilliseconds = table.Column<long>(type: "bigint", nullable: false),
                    ScoringMilliseconds = table.Column<long>(type: "bigint", nullable: false),
                    ScoredPetitions = table.Column<int>(type: "int", nullable: false),
                    TrainedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false),
                    Model = table.Column<byte[]>(type: "varbinary(max)", nullable: true),
                    Reference = table.Column<string>(type: "nvarchar(max)", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskModels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RiskScores",
                columns: table => new
                {
                    PetitionId = table.Column<int>(type: "int", nullable: false),
                    Score = table.Column<double>(type: "float", nullable: false),
                    High = table.Column<bool>(type: "bit", nullable: false),
                    ModelId = table.Column<int>(type: "int", nullable: false),
                    ScoredAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    Reasons = table.Column<string>(type: "nvarchar(1000)", maxLength: 1000, nullable: true)
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
