using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Postgres
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
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    TrainedAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CutoffOn = table.Column<DateOnly>(type: "date", nullable: false),
                    EvaluatedToOn = table.Column<DateOnly>(type: "date", nullable: false),
                    TrainPetitions = table.Column<int>(type: "integer", nullable: false),
                    TrainSamples = table.Column<int>(type: "integer", nullable: false),
                    TrainPositives = table.Column<int>(type: "integer", nullable: false),
                    EvalPetitions = table.Column<int>(type: "integer", nullable: false),
                    EvalSamples = table.Column<int>(type: "integer", nullable: false),
                    EvalPositives = table.Column<int>(type: "integer", nullable: false),
                    Auc = table.Column<double>(type: "double precision", nullable: false),
                    TopFivePrecision = table.Column<double>(type: "double precision", nullable: false),
                    TopTenPrecision = table.Column<double>(type: "double precision", nullable: false),
                    BaselineAuc = table.Column<double>(type: "double precision", nullable: false),
                    BaselineTopFivePrecision = table.Column<double>(type: "double precision", nullable: false),
                    BaselineTopTenPrecision = table.Column<double>(type: "double precision", nullable: false),
                    HighThreshold = table.Column<double>(type: "double precision", nullable: false),
                    Deployed = table.Column<bool>(type: "boolean", nullable: false),
                    NotDeployedReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true, collation: "C"),
                    TrainingMilliseconds = table.Column<long>(type: "bigint", nullable: false),
                    ScoringMilliseconds = table.Column<long>(type: "bigint", nullable: false),
                    ScoredPetitions = table.Column<int>(type: "integer", nullable: false),
                    TrainedBy = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false, collation: "C"),
                    Model = table.Column<byte[]>(type: "bytea", nullable: true),
                    Reference = table.Column<string>(type: "text", nullable: true, collation: "C")
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RiskModels", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "RiskScores",
                columns: table => new
                {
                    PetitionId = table.Column<int>(type: "integer", nullable: false),
                    Score = table.Column<double>(type: "double precision", nullable: false),
                    High = table.Column<bool>(type: "boolean", nullable: false),
                    ModelId = table.Column<int>(type: "integer", nullable: false),
                    ScoredAtUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Reasons = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true, collation: "C")
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
