// The job dashboard (/jobs) shows times as the rest of the app does: yyyy-MM-dd HH:mm, 24 h, Asia/Shanghai (UTC+8, no
// daylight saving since 1991) whatever the browser's zone. Hangfire formats with moment in the page's language ("zh",
// which moment does not know, so it fell back to "11/30/2026 5:45:00 AM"); this runs before the page initialises.
(function (moment) {
    if (!moment) return;
    var shanghaiFormat = { LT: 'HH:mm', LTS: 'HH:mm', L: 'YYYY-MM-DD', LL: 'YYYY-MM-DD', LLL: 'YYYY-MM-DD HH:mm', LLLL: 'YYYY-MM-DD HH:mm',
        l: 'YYYY-MM-DD', ll: 'YYYY-MM-DD', lll: 'YYYY-MM-DD HH:mm', llll: 'YYYY-MM-DD HH:mm' };
    moment.defineLocale('zh-cn-petition', { parentLocale: 'zh-cn', longDateFormat: shanghaiFormat });
    var setLocale = moment.locale;
    // Hangfire asks for the page's language; every language gets the one above.
    moment.locale = function (key, values) {
        if (key === undefined || values !== undefined) return setLocale.apply(moment, arguments);
        return setLocale.call(moment, 'zh-cn-petition');
    };
    var format = moment.fn.format;
    moment.fn.format = function () {
        if (this._shanghai || !this.isValid()) return format.apply(this, arguments);
        var shanghai = this.clone().utcOffset(480);
        shanghai._shanghai = true;
        return format.apply(shanghai, arguments);
    };
})(window.moment);
