using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class ScoringSchemes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "PublishedWeekSchemes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    WeekMonday = table.Column<DateOnly>(type: "date", nullable: false),
                    SchemeName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    SchemeVersion = table.Column<int>(type: "int", nullable: false),
                    Definition = table.Column<string>(type: "nvarchar(max)", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedWeekSchemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedScoringSchemes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    Name = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    Version = table.Column<int>(type: "int", nullable: false),
                    Definition = table.Column<string>(type: "nvarchar(max)", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    SavedBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedScoringSchemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoringSchemeChoices",
                columns: table => new
                {
                    Id = table.Column<int>(type: "int", nullable: false)
                        .Annotation("SqlServer:Identity", "1, 1"),
                    SchemeName = table.Column<string>(type: "nvarchar(50)", maxLength: 50, nullable: false),
                    ChosenAtUtc = table.Column<DateTime>(type: "datetime2", nullable: false),
                    ChosenBy = table.Column<string>(type: "nvarchar(100)", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ScoringSchemeChoices", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_PublishedWeekSchemes_WeekMonday",
                table: "PublishedWeekSchemes",
                column: "WeekMonday",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_SavedScoringSchemes_Name_Version",
                table: "SavedScoringSchemes",
                columns: new[] { "Name", "Version" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "PublishedWeekSchemes");

            migrationBuilder.DropTable(
                name: "SavedScoringSchemes");

            migrationBuilder.DropTable(
                name: "ScoringSchemeChoices");
        }
    }
}
