using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace PetitionDashboard.Data.Migrations.Sqlite
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
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    WeekMonday = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    SchemeName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    SchemeVersion = table.Column<int>(type: "INTEGER", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PublishedWeekSchemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SavedScoringSchemes",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Name = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Definition = table.Column<string>(type: "TEXT", nullable: false),
                    SavedAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    SavedBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SavedScoringSchemes", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ScoringSchemeChoices",
                columns: table => new
                {
                    Id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    SchemeName = table.Column<string>(type: "TEXT", maxLength: 50, nullable: false),
                    ChosenAtUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ChosenBy = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
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
