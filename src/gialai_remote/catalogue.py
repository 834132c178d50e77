"""The catalogue of user-interface strings: every text a person reads that does not come from
the knowledge base, in Vietnamese (``vi``) and English (``en``).

Keys are grouped by prefix: ``help.`` (command and option help), ``label.`` and ``verdict.``
(text output), ``reason.`` (why a tool is ruled out, one per reason code of docs/contract.md),
``warn.`` (advice-level warnings), ``error.`` (one-line errors), ``prompt.``, ``kb.``
(knowledge-base problems). Placeholders are ``{name}``; values are inserted as plain text.
A test fails when a key lacks either language or a placeholder differs between the two.

English inflects for number and Vietnamese does not: an entry may add ``en_one``, the English
text used when the placeholder named by ``plural`` (default ``count``) is 1.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # ---- help -------------------------------------------------------------------------
    "help.app": {
        "vi": "Tư vấn làm việc từ xa theo Công văn 415/STTTT-CNTT (Sở TT&TT Gia Lai, 01/04/2020): "
        "dùng công cụ nào, ai được dùng, tối đa bao nhiêu người, cài đặt thế nào và gọi ai để được hỗ trợ.",
        "en": "Remote-work advice from letter 415/STTTT-CNTT (Gia Lai Department of Information and "
        "Communications, 01/04/2020): which tool to use, who may use it, for how many people, how to set "
        "it up and whom to call.",
    },
    "help.app.epilog": {
        "vi": "\b\nVí dụ:\n"
        "  gialai-remote recommend --role agency-staff --task meeting --participants 12\n"
        "  gialai-remote check --tool zalo --role agency-staff --sensitivity internal\n"
        "  gialai-remote setup --all --format html --output huong-dan/\n"
        "  gialai-remote help check\n"
        "  gialai-remote help environment",
        "en": "\b\nExamples:\n"
        "  gialai-remote recommend --role agency-staff --task meeting --participants 12\n"
        "  gialai-remote check --tool zalo --role agency-staff --sensitivity internal\n"
        "  gialai-remote setup --all --format html --output handouts/\n"
        "  gialai-remote help check\n"
        "  gialai-remote help environment",
    },
    "help.group.advice": {"vi": "Lời khuyên", "en": "Advice"},
    "help.group.browse": {"vi": "Tra cứu", "en": "Browse"},
    "help.group.knowledge": {"vi": "Cơ sở tri thức", "en": "Knowledge base"},
    "help.group.network": {"vi": "Mạng", "en": "Network"},
    "help.group.help": {"vi": "Trợ giúp", "en": "Help"},
    "help.help": {
        "vi": "Hướng dẫn của một lệnh, hoặc các biến môi trường mà công cụ đọc. "
        "Ví dụ: gialai-remote help check; gialai-remote help environment",
        "en": "The help of a command, or the environment variables the tool reads. "
        "Example: gialai-remote help check; gialai-remote help environment",
    },
    "help.help.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 không có lệnh hay chủ đề đó.",
        "en": "Exit codes: 0 printed; 2 no such command or topic.",
    },
    "help.arg.help_topic": {
        "vi": "Một lệnh (ví dụ check, tools show) hoặc environment; bỏ trống: hướng dẫn chung.",
        "en": "A command (e.g. check, tools show) or environment; none: the general help.",
    },
    "error.no_such_topic": {
        "vi": 'Không có lệnh hay chủ đề "{topic}"; chọn một lệnh ({commands}) hoặc environment.',
        "en": 'No command or topic "{topic}"; choose a command ({commands}) or environment.',
    },
    "env.title": {
        "vi": "Các biến môi trường mà gialai-remote đọc (tùy chọn trên dòng lệnh luôn thắng biến):",
        "en": "The environment variables gialai-remote reads (a command-line option always beats its variable):",
    },
    "env.reader": {"vi": "đọc bởi: {reader}", "en": "read by: {reader}"},
    "env.gialai_remote_lang": {
        "vi": "Ngôn ngữ: vi hoặc en, như --lang; không đặt thì là tiếng Việt.",
        "en": "Language: vi or en, as --lang; Vietnamese when not set.",
    },
    "env.gialai_remote_data": {
        "vi": "Tệp cơ sở tri thức dùng thay cho bản có sẵn, như --data; nhiều tệp (một chồng tầng) "
        "nối bằng dấu phân cách đường dẫn của hệ điều hành (: hoặc ;).",
        "en": "The knowledge-base file to use instead of the built-in one, as --data; several files "
        "(a stack of layers) joined by the system's path separator (: or ;).",
    },
    "env.gialai_remote_no_input": {
        "vi": "1 (hoặc true, yes, on, y): không bao giờ hỏi, như --no-input.",
        "en": "1 (or true, yes, on, y): never prompt, as --no-input.",
    },
    "env.gialai_remote_cache": {
        "vi": "Thư mục bộ nhớ đệm cơ sở tri thức (mặc định $XDG_CACHE_HOME/gialai-remote hoặc "
        "~/.cache/gialai-remote, trên Windows %LOCALAPPDATA%\\gialai-remote\\Cache); --no-cache bỏ qua nó.",
        "en": "The knowledge-base cache folder (default $XDG_CACHE_HOME/gialai-remote or "
        "~/.cache/gialai-remote, on Windows %LOCALAPPDATA%\\gialai-remote\\Cache); --no-cache skips it.",
    },
    "env.gialai_remote_debug": {
        "vi": "Khác rỗng: lỗi nội bộ (mã thoát 70) in cả traceback, để báo lỗi cho người bảo trì.",
        "en": "Not empty: an internal error (exit 70) shows its traceback, to report it.",
    },
    "env.no_color": {
        "vi": "Đặt (khác rỗng): không tô màu, kể cả khi có FORCE_COLOR.",
        "en": "Set (not empty): no colour, even with FORCE_COLOR.",
    },
    "env.force_color": {
        "vi": "Đặt: tô màu cả khi đầu ra là ống hay tệp (vẫn không ngắt dòng).",
        "en": "Set: colour even when the output is a pipe or a file (still never wrapped).",
    },
    "env.columns": {
        "vi": "Độ rộng terminal (số cột) khi hệ thống không cho biết; chỉ dùng khi đầu ra là terminal.",
        "en": "The terminal's width in columns when the system does not tell; used only on a terminal.",
    },
    "env.pythonioencoding": {
        "vi": "Bảng mã của đầu ra văn bản, ví dụ utf-8; JSON, Markdown và HTML luôn là UTF-8.",
        "en": "The encoding of text output, e.g. utf-8; JSON, Markdown and HTML are always UTF-8.",
    },
    "env.pythonutf8": {
        "vi": "1: Python dùng UTF-8 cho mọi thứ (hữu ích trên Windows).",
        "en": "1: Python uses UTF-8 for everything (useful on Windows).",
    },
    "env.ssl_cert_file": {
        "vi": "Tệp chứng thư gốc mà doctor tin cậy (thay cho kho của hệ thống).",
        "en": "The CA certificate file doctor trusts (instead of the system's store).",
    },
    "env.ssl_cert_dir": {
        "vi": "Thư mục chứng thư gốc mà doctor tin cậy.",
        "en": "The CA certificate folder doctor trusts.",
    },
    "env.https_proxy": {
        "vi": "Proxy mà doctor đi qua (http://, đường hầm CONNECT), trừ máy chủ mà NO_PROXY nêu; "
        "cả ALL_PROXY. Không đặt thì theo cài đặt proxy của Windows hoặc macOS. HTTP_PROXY không dùng.",
        "en": "The proxy doctor goes through (http://, a CONNECT tunnel), except for hosts NO_PROXY names; "
        "also ALL_PROXY. When unset, the Windows or macOS proxy settings count. HTTP_PROXY is not used.",
    },
    "env._gialai_remote_complete": {
        "vi": "Do đoạn mã gợi ý lệnh (phím Tab) đặt, cùng COMP_WORDS, COMP_CWORD, _TYPER_COMPLETE_ARGS; đừng tự đặt.",
        "en": "Set by the Tab-completion script, with COMP_WORDS, COMP_CWORD, _TYPER_COMPLETE_ARGS; "
        "do not set it yourself.",
    },
    "help.recommend": {
        "vi": "Khuyến nghị công cụ cho một vai trò và công việc, kèm lý do, cách cài đặt và người liên hệ. "
        "Ví dụ: gialai-remote recommend --role agency-staff --task meeting --participants 12",
        "en": "Recommend tools for a role and task, with reasons, setup steps and whom to call. "
        "Example: gialai-remote recommend --role agency-staff --task meeting --participants 12",
    },
    "help.recommend.epilog": {
        "vi": "Mã thoát: 0 có công cụ được khuyến nghị; 1 không có công cụ nào; 2 lỗi cách dùng; "
        "3 cơ sở tri thức hỏng; 130 bị ngắt.",
        "en": "Exit codes: 0 at least one tool recommended; 1 none; 2 usage error; 3 broken knowledge "
        "base; 130 interrupted.",
    },
    "help.check": {
        "vi": "Kiểm tra một kế hoạch có được Công văn cho phép không. "
        "Ví dụ: gialai-remote check --tool polycom --role agency-staff --participants 30",
        "en": "Check whether the letter allows a plan. "
        "Example: gialai-remote check --tool polycom --role agency-staff --participants 30",
    },
    "help.check.epilog": {
        "vi": "Mã thoát: 0 được phép; 1 không được phép; 2 lỗi cách dùng; 3 cơ sở tri thức hỏng.",
        "en": "Exit codes: 0 allowed; 1 not allowed; 2 usage error; 3 broken knowledge base.",
    },
    "help.opt.role": {
        "vi": "Vai trò của người chủ trì cuộc họp hay công việc: ubnd-member (thành viên UBND tỉnh) hoặc "
        "agency-staff (cán bộ, công chức, viên chức); không phải vai trò của người chuẩn bị giúp.",
        "en": "Role of the person the meeting or work is for (its chair): ubnd-member (member of the provincial "
        "People's Committee) or agency-staff (civil servant); not the role of whoever prepares it.",
    },
    "help.opt.task": {
        "vi": "Công việc: documents, public-services, meeting hoặc group-exchange.",
        "en": "Task: documents, public-services, meeting or group-exchange.",
    },
    "help.opt.participants": {
        "vi": "Số người tham gia cuộc họp (số nguyên từ 1 trở lên).",
        "en": "Number of people in the meeting (a whole number from 1 up).",
    },
    "help.opt.sensitivity": {
        "vi": "Mức độ của nội dung: normal (thông thường), internal (nội bộ), secret (bí mật nhà nước). "
        "Không nhập thì coi là internal.",
        "en": "How sensitive the content is: normal, internal or secret (state secret). Internal when not given.",
    },
    "help.opt.platform": {
        "vi": "Thiết bị: ios, android, windows, macos, linux hoặc web.",
        "en": "Platform: ios, android, windows, macos, linux or web.",
    },
    "help.opt.no_device": {
        "vi": "Không có thiết bị di động thông minh hay máy vi tính.",
        "en": "No smart mobile device or computer.",
    },
    "help.opt.no_internet": {
        "vi": "Không có kết nối mạng Internet.",
        "en": "No Internet connection.",
    },
    "help.opt.date": {
        "vi": 'Ngày áp dụng lời khuyên: 15/4/2020 (ngày trước, tháng sau), 2020-04-15 hoặc "hôm nay"; '
        "mặc định là hôm nay theo giờ Việt Nam. Không nhận ngày trước ngày ban hành Công văn.",
        "en": 'The day the advice is for: 15/4/2020 (day first), 2020-04-15 or "today"; today in Vietnam '
        "by default. Days before the letter was issued are refused.",
    },
    "help.opt.format": {
        "vi": "Định dạng kết quả: text (mặc định) hoặc json.",
        "en": "Output format: text (default) or json.",
    },
    "help.opt.recommend_format": {
        "vi": "Định dạng kết quả: text (mặc định), json, markdown hoặc html (một trang in được).",
        "en": "Output format: text (default), json, markdown or html (a printable page).",
    },
    "help.opt.no_input": {
        "vi": "Không bao giờ hỏi; thiếu thông tin bắt buộc là lỗi (mã 2). Biến môi trường: GIALAI_REMOTE_NO_INPUT=1.",
        "en": "Never prompt; a missing required answer is a usage error (exit 2). Variable: GIALAI_REMOTE_NO_INPUT=1.",
    },
    "help.opt.data": {
        "vi": "Dùng cơ sở tri thức này thay cho bản có sẵn; cho nhiều lần để chồng các tầng lên nhau "
        "(tệp sau thắng). Biến môi trường: GIALAI_REMOTE_DATA.",
        "en": "Use this knowledge base instead of the built-in one; give it more than once to stack "
        "layers (later wins). Variable: GIALAI_REMOTE_DATA.",
    },
    "help.opt.strict": {
        "vi": "Coi cảnh báo là lỗi: mã thoát 1 khi có cảnh báo (cho CI).",
        "en": "Treat warnings as errors: exit code 1 when there is any warning (for CI).",
    },
    "help.opt.max_age": {
        "vi": "Cảnh báo mọi người liên hệ được xác minh cách đây hơn DAYS ngày (người liên hệ của "
        "Công văn tính từ ngày Công văn).",
        "en": "Warn about every contact verified more than DAYS days ago (the letter's contacts count "
        "from the letter's date).",
    },
    "help.opt.version_format": {
        "vi": "Định dạng của --version: text (mặc định) hoặc json.",
        "en": "Format of --version: text (default) or json.",
    },
    "error.bad_max_age": {
        "vi": '--max-age cần một số ngày nguyên, từ 0 trở lên, không phải "{value}".',
        "en": '--max-age needs a whole number of days, 0 or more, not "{value}".',
    },
    "stack.head": {
        "vi": "Cơ sở tri thức gồm {count} tệp (tệp sau thắng):",
        "en": "The knowledge base is made of {count} files (later wins):",
    },
    "stack.base": {"vi": "  {number}. {path} (cơ sở)", "en": "  {number}. {path} (base)"},
    "stack.layer": {
        "vi": '  {number}. {path}: tầng "{name}", ngày {date}',
        "en": '  {number}. {path}: layer "{name}", dated {date}',
    },
    "stack.digest": {
        "vi": "Mã nội dung của cơ sở tri thức (mọi tệp): {digest}",
        "en": "Content digest of the knowledge base (every file): {digest}",
    },
    "kb.contact_verified_later": {
        "vi": 'người liên hệ "{id}" ghi xác minh ngày {date}, sau hôm nay; hãy sửa ngày xác minh',
        "en": 'contact "{id}" says it was verified on {date}, after today; correct the date',
    },
    "kb.contact_age": {
        "vi": 'người liên hệ "{id}" được xác minh lần cuối ngày {date}, cách đây {age} ngày (quá {limit} ngày); '
        "hãy gọi xác nhận lại và ghi verified_on mới trong tầng của đơn vị",
        "en": 'contact "{id}" was last verified on {date}, {age} days ago (more than {limit}); '
        "call to confirm it and record the new verified_on in the agency's layer",
    },
    "help.opt.lang": {
        "vi": "Ngôn ngữ: vi (mặc định) hoặc en. Biến môi trường: GIALAI_REMOTE_LANG.",
        "en": "Language: vi (default) or en. Variable: GIALAI_REMOTE_LANG.",
    },
    "help.opt.version": {
        "vi": "In phiên bản của công cụ và của cơ sở tri thức.",
        "en": "Print the tool's and the knowledge base's versions.",
    },
    "help.opt.tool": {
        "vi": "Công cụ cần kiểm tra, ví dụ polycom, aic-emeeting, zalo.",
        "en": "The tool to check, e.g. polycom, aic-emeeting, zalo.",
    },
    "help.opt.verbose": {
        "vi": "In cả phần chi tiết mà kết quả dạng văn bản rút gọn: từng công cụ bị loại với mọi lý do, "
        "và toàn văn các thông báo kèm nguồn. JSON luôn có đủ.",
        "en": "Print the detail the text output shortens: each tool ruled out with every reason, and the "
        "notices in full with their sources. JSON always has everything.",
    },
    "help.opt.quiet": {
        "vi": "Không in gì, chỉ trả mã thoát.",
        "en": "Print nothing; only set the exit code.",
    },
    # ---- names of kinds ---------------------------------------------------------------
    "kind.role": {"vi": "vai trò", "en": "role"},
    "kind.task": {"vi": "công việc", "en": "task"},
    "kind.sensitivity": {"vi": "mức độ nội dung", "en": "sensitivity"},
    "kind.platform": {"vi": "thiết bị", "en": "platform"},
    "kind.tool": {"vi": "công cụ", "en": "tool"},
    "need.device": {
        "vi": "thiết bị di động thông minh hoặc máy vi tính",
        "en": "a smart mobile device or a computer",
    },
    "need.internet": {"vi": "kết nối mạng Internet", "en": "an Internet connection"},
    # ---- text output ------------------------------------------------------------------
    "verdict.recommend": {
        "vi": "Khuyến nghị: {count} công cụ phù hợp theo Công văn",
        "en": "Recommended: {count} tools the letter allows",
        "en_one": "Recommended: {count} tool the letter allows",
    },
    "verdict.none": {
        "vi": "Không có công cụ nào của Công văn phù hợp",
        "en": "No tool of the letter fits",
    },
    "verdict.not_eligible": {
        "vi": "Chưa đủ điều kiện làm việc từ xa",
        "en": "Not able to work remotely yet",
    },
    "verdict.allowed": {"vi": "Được phép: {tool}", "en": "Allowed: {tool}"},
    "verdict.not_allowed": {"vi": "Không được phép: {tool}", "en": "Not allowed: {tool}"},
    "label.role": {"vi": "Vai trò", "en": "Role"},
    "label.task": {"vi": "Công việc", "en": "Task"},
    "label.participants": {"vi": "Số người", "en": "Participants"},
    "label.sensitivity": {"vi": "Mức độ", "en": "Sensitivity"},
    "label.assumed": {"vi": "mặc định", "en": "assumed"},
    "label.platform": {"vi": "Thiết bị", "en": "Platform"},
    "label.date": {"vi": "Ngày", "en": "Date"},
    "label.section": {"vi": "mục", "en": "section"},
    "label.why": {"vi": "Vì sao:", "en": "Why:"},
    "label.setup": {"vi": "Cài đặt:", "en": "Setup:"},
    "label.contacts": {"vi": "Liên hệ hỗ trợ:", "en": "Support contacts:"},
    "label.tool_warnings": {"vi": "Lưu ý:", "en": "Keep in mind:"},
    "label.excluded": {"vi": "Không dùng được:", "en": "Ruled out:"},
    "label.reasons": {"vi": "Lý do:", "en": "Reasons:"},
    "label.warnings": {"vi": "Cảnh báo:", "en": "Warnings:"},
    "label.notices": {
        "vi": "Thông báo mới sau Công văn:",
        "en": "Notices from after the letter:",
    },
    "label.notice_source": {"vi": "nguồn", "en": "source"},
    "label.notice_ended": {
        "vi": "{start}–{end}, đã hết hiệu lực",
        "en": "{start} to {end}, no longer in force",
    },
    "label.status": {"vi": "Tình trạng sau Công văn:", "en": "Since the letter:"},
    "status.from": {"vi": "{kind} từ ngày {date}", "en": "{kind} since {date}"},
    "status.after": {"vi": "{kind} sau năm {year}", "en": "{kind} after {year}"},
    "status.discontinued": {"vi": "Đã ngừng hoạt động", "en": "Discontinued"},
    "status.renamed": {"vi": "Đã đổi tên", "en": "Renamed"},
    "status.changed-hands": {"vi": "Đã đổi chủ sở hữu", "en": "Changed hands"},
    "status.unverified": {"vi": "Chưa xác minh được", "en": "Not verified"},
    "confidence.high": {"vi": "độ tin cậy: cao", "en": "confidence: high"},
    "confidence.medium": {"vi": "độ tin cậy: trung bình", "en": "confidence: medium"},
    "confidence.low": {"vi": "độ tin cậy: thấp", "en": "confidence: low"},
    "cite.section": {"vi": "mục {section}", "en": "section {section}"},
    "cite.letter": {"vi": "Công văn {document}", "en": "letter {document}"},
    "label.every_tool": {
        "vi": "Cả {count} công cụ phục vụ công việc này",
        "en": "All {count} tools for this task",
    },
    "label.verbose_hint": {
        "vi": "Toàn văn các thông báo và lý do theo từng công cụ: thêm --verbose.",
        "en": "The notices in full and the reasons tool by tool: add --verbose.",
    },
    "label.footer": {
        "vi": "Nguồn: Công văn {document} ngày {date} của {issuer}.",
        "en": "Source: letter {document} of {date}, {issuer}.",
    },
    "version": {
        "vi": "gialai-remote {version}; cơ sở tri thức: Công văn {document} ngày {date}, "
        "schema_version {schema} ({path})",
        "en": "gialai-remote {version}; knowledge base: letter {document} of {date}, schema_version {schema} ({path})",
    },
    # ---- reasons (one per reason code of docs/contract.md) ---------------------------------
    "reason.role_not_allowed": {
        "vi": "{tool} chỉ dành cho: {allowed} ({cite}).",
        "en": "{tool} is only for: {allowed} ({cite}).",
    },
    "reason.task_not_supported": {
        "vi": '{tool} không dùng cho công việc "{task}" ({cite}).',
        "en": '{tool} is not for the task "{task}" ({cite}).',
    },
    "reason.capacity_exceeded": {
        "vi": "{tool} chỉ phục vụ được tối đa {max} người; cuộc họp có {participants} người ({cite}).",
        "en": "{tool} serves at most {max} people; the meeting has {participants} ({cite}).",
    },
    "reason.sensitivity_not_allowed": {
        "vi": '{tool} không được dùng cho mức "{sensitivity}"; chỉ cho mức: {allowed} ({cite}).',
        "en": '{tool} must not carry content rated "{sensitivity}"; only: {allowed} ({cite}).',
    },
    "reason.offer_expired": {
        "vi": "Công văn nêu {tool} được hỗ trợ miễn phí đến hết ngày {until}; ưu đãi miễn phí này đã hết ({cite}).",
        "en": "The letter says {tool} is free until {until}; that free offer has ended ({cite}).",
    },
    "reason.platform_not_supported": {
        "vi": "{tool} không có cho {platform}; chỉ có cho: {allowed} ({cite}).",
        "en": "{tool} is not available on {platform}; only on: {allowed} ({cite}).",
    },
    "reason.discontinued": {
        "vi": "{tool} đã ngừng hoạt động từ ngày {date} ({cite}).",
        "en": "{tool} was discontinued on {date} ({cite}).",
    },
    "reason.requires_device_and_internet": {
        "vi": "Để dùng {tool} cần có {missing} ({cite}).",
        "en": "{tool} needs {missing} ({cite}).",
    },
    # ---- causes: a reason without the tool's name, for a line listing every tool it rules out --
    "cause.role_not_allowed": {
        "vi": "chỉ dành cho {allowed} ({cite}).",
        "en": "only for {allowed} ({cite}).",
    },
    "cause.task_not_supported": {
        "vi": 'không dùng cho công việc "{task}" ({cite}).',
        "en": 'not for the task "{task}" ({cite}).',
    },
    "cause.capacity_exceeded": {
        "vi": "chỉ phục vụ được tối đa {max} người; cuộc họp có {participants} người ({cite}).",
        "en": "at most {max} people; the meeting has {participants} ({cite}).",
    },
    "cause.sensitivity_not_allowed": {
        "vi": 'không dùng cho mức "{sensitivity}"; chỉ dùng cho mức {allowed} ({cite}).',
        "en": 'not for content rated "{sensitivity}"; only for {allowed} ({cite}).',
    },
    "cause.offer_expired": {
        "vi": "được Công văn nêu là hỗ trợ miễn phí đến hết ngày {until}; ưu đãi miễn phí này đã hết ({cite}).",
        "en": "free until {until}, the letter says; that free offer has ended ({cite}).",
    },
    "cause.platform_not_supported": {
        "vi": "không có cho {platform}; chỉ có cho {allowed} ({cite}).",
        "en": "not available on {platform}; only on {allowed} ({cite}).",
    },
    "cause.requires_device_and_internet": {
        "vi": "cần có {missing} ({cite}).",
        "en": "{missing} needed ({cite}).",
    },
    "cause.discontinued": {
        "vi": "đã ngừng hoạt động từ ngày {date} ({cite}).",
        "en": "discontinued on {date} ({cite}).",
    },
    "why.capacity": {
        "vi": "Phục vụ tối đa {max} người; cuộc họp có {participants} người.",
        "en": "Serves at most {max} people; the meeting has {participants}.",
    },
    # ---- advice-level warnings --------------------------------------------------------
    "warn.sensitivity_assumed": {
        "vi": 'Chưa cho biết mức độ của nội dung nên coi là "{sensitivity}" (an toàn hơn: không dùng '
        "ứng dụng công cộng). Dùng --sensitivity normal nếu nội dung thông thường.",
        "en": 'No sensitivity was given, so "{sensitivity}" was assumed (the safe side: no public apps). '
        "Use --sensitivity normal for ordinary content.",
    },
    "warn.letter_age": {
        "vi": "Đây là hướng dẫn của Công văn {document} ngày {date} của {issuer}, ban hành đã hơn {years} năm; "
        "hãy đọc như hướng dẫn của năm {year}, không phải hướng dẫn hiện hành.",
        "en": "This is the guidance of letter {document} of {date}, {issuer}, issued more than {years} years ago; "
        "read it as the guidance of {year}, not as current guidance.",
        "en_one": "This is the guidance of letter {document} of {date}, {issuer}, issued more than a year ago; "
        "read it as the guidance of {year}, not as current guidance.",
        "plural": "years",
    },
    "warn.tools_changed": {
        "vi": "Trong {total} công cụ Công văn nêu, đến ngày {date}: {parts}.",
        "en": "Of the {total} tools the letter names, as of {date}: {parts}.",
    },
    "changed.discontinued": {
        "vi": "{count} đã ngừng hoạt động ({names})",
        "en": "{count} discontinued ({names})",
    },
    "changed.changed": {
        "vi": "{count} đã đổi tên hoặc đổi chủ sở hữu ({names})",
        "en": "{count} renamed or changed hands ({names})",
    },
    "changed.unverified": {
        "vi": "{count} chưa xác minh được sau năm {year} (tình trạng ghi cạnh từng công cụ)",
        "en": "{count} not verified after {year} (the status is shown with each tool)",
    },
    "warn.check_before_use": {
        "vi": "Hãy kiểm tra lại với đơn vị phụ trách trước khi dùng; lệnh gialai-remote doctor kiểm tra các máy "
        "chủ mà Công văn nêu.",
        "en": "Check with the unit in charge before use; gialai-remote doctor checks the servers the letter names.",
    },
    "warn.contact_unverified": {
        "vi": "Người liên hệ và số điện thoại theo Công văn {document} (năm {year}), xác minh lần cuối ngày {date}; "
        "hãy xác nhận lại trước khi gọi.",
        "en": "Contacts and phone numbers as in letter {document} ({year}), last verified on {date}; confirm them "
        "before calling.",
    },
    "warn.contact_unverified_other": {
        "vi": "Người liên hệ và số điện thoại xác minh lần cuối ngày {date}; hãy xác nhận lại trước khi gọi.",
        "en": "The contacts and phone numbers were last verified on {date}; confirm them before you call.",
    },
    "warn.before_letter": {
        "vi": "Ngày áp dụng trước ngày ban hành Công văn ({date}).",
        "en": "The advice date is before the letter was issued ({date}).",
    },
    "warn.not_eligible": {
        "vi": "Công văn chỉ áp dụng cho người đủ điều kiện làm việc từ xa; còn thiếu: {missing}.",
        "en": "The letter applies only to people able to work remotely; missing: {missing}.",
    },
    "warn.secret": {
        "vi": "Không công cụ nào trong Công văn được dùng cho bí mật nhà nước: Công văn cấm đưa lên "
        "Internet bằng phần mềm công cộng (mục 2.3), và luật cấm soạn thảo, lưu giữ bí mật nhà nước trên "
        "thiết bị kết nối Internet. Hãy xử lý theo quy định bảo vệ bí mật nhà nước, không làm việc từ xa.",
        "en": "No tool of the letter may carry state secrets: the letter bars them from the Internet "
        "through public apps (section 2.3), and the law forbids drafting or storing state secrets on "
        "Internet-connected devices. Handle them under the rules for protecting state secrets, not remotely.",
    },
    "warn.no_tool_serves": {
        "vi": 'Không công cụ nào trong cơ sở tri thức phục vụ công việc "{task}".',
        "en": 'No tool in the knowledge base serves the task "{task}".',
    },
    "warn.all_excluded": {
        "vi": "Mọi công cụ phục vụ công việc này đều bị loại; xem lý do ở trên.",
        "en": "Every tool for this task is ruled out; see the reasons above.",
    },
    "warn.participants_unknown": {
        "vi": "Chưa cho biết số người: {tool} chỉ phục vụ tối đa {max} người (dùng --participants N).",
        "en": "Participants not given: {tool} serves at most {max} people (use --participants N).",
    },
    # ---- errors -----------------------------------------------------------------------
    "error.usage": {"vi": "Lỗi cách dùng: {detail}", "en": "Usage error: {detail}"},
    "error.no_such_option": {
        "vi": "Không có tùy chọn {option}.",
        "en": "No such option: {option}.",
    },
    "error.no_such_command": {
        "vi": 'Không có lệnh "{command}".',
        "en": 'No such command "{command}".',
    },
    "error.see_help": {"vi": "Xem: {command} --help", "en": "See: {command} --help"},
    "error.no_command": {
        "vi": "Thiếu lệnh. Xem: gialai-remote --help",
        "en": "Missing command. See: gialai-remote --help",
    },
    "error.bad_lang": {
        "vi": 'Ngôn ngữ "{value}" không hỗ trợ; dùng --lang vi hoặc --lang en.',
        "en": 'Language "{value}" is not supported; use --lang vi or --lang en.',
    },
    "error.bad_format": {
        "vi": 'Định dạng "{value}" không hỗ trợ; chọn một trong: {choices}.',
        "en": 'Format "{value}" is not supported; choose one of: {choices}.',
    },
    "error.bad_date": {
        "vi": '--date "{value}" không phải một ngày có thật hoặc không viết theo dạng nhận được; hãy viết ngày '
        'trước, tháng sau, năm đủ bốn chữ số (15/4/2020), dạng 2020-04-15, hoặc "hôm nay".',
        "en": '--date "{value}" is not a real calendar day or not in a form it takes; write it day first with a '
        'four-digit year (15/4/2020), as 2020-04-15, or "today".',
    },
    "error.repeated_option": {
        "vi": '{flag} được cho hai giá trị khác nhau, "{first}" và "{second}"; tùy chọn này chỉ nhận một '
        "giá trị: hãy bỏ một.",
        "en": '{flag} was given two different values, "{first}" and "{second}"; it takes one value: drop one.',
    },
    "error.repeated_tool": {
        "vi": "Để kiểm tra nhiều công cụ trong một lần chạy, dùng check --batch (xem: gialai-remote help check).",
        "en": "To check several tools in one run, use check --batch (see: gialai-remote help check).",
    },
    "error.batch_format": {
        "vi": '--batch luôn trả lời bằng JSON Lines (mỗi dòng một đối tượng JSON); bỏ --format "{value}" '
        "hoặc dùng --format json.",
        "en": '--batch always answers in JSON Lines (one JSON object per line); drop --format "{value}" '
        "or use --format json.",
    },
    "help.opt.batch": {
        "vi": "Trả lời nhiều yêu cầu trong một lần chạy: TỆP (hoặc - là đầu vào chuẩn) có mỗi dòng một đối "
        'tượng JSON, khóa là tên tùy chọn dài ({"role": "staff", "task": "họp", "participants": 12}); '
        "in mỗi dòng một kết quả JSON kèm số dòng. Xem docs/scripting.md.",
        "en": "Answer many queries in one run: FILE (or - for standard input) holds one JSON object per line, "
        'keyed by the long option names ({"role": "staff", "task": "meeting", "participants": 12}); prints '
        "one JSON result per line with its line number. See docs/scripting.md.",
    },
    "batch.line_error": {"vi": "dòng {line}: {message}", "en": "line {line}: {message}"},
    "batch.too_long": {
        "vi": "dòng dài quá {max} byte.",
        "en": "the line is longer than {max} bytes.",
    },
    "batch.repeated_key": {
        "vi": '"{key}" có hai giá trị khác nhau, {first} và {second}; hãy giữ một.',
        "en": '"{key}" has two different values, {first} and {second}; keep one.',
    },
    "batch.not_utf8": {"vi": "dòng không phải văn bản UTF-8.", "en": "the line is not UTF-8 text."},
    "batch.not_json": {"vi": "dòng không phải JSON ({detail}).", "en": "the line is not JSON ({detail})."},
    "batch.too_deep": {
        "vi": "dòng lồng quá sâu: quá nhiều mảng hoặc đối tượng JSON lồng vào nhau.",
        "en": "the line is nested too deeply: too many JSON arrays or objects inside one another.",
    },
    "batch.lone_surrogate": {
        "vi": "dòng có một chuỗi chứa nửa cặp thay thế UTF-16 ({escape}), không phải ký tự hợp lệ.",
        "en": "a string of the line holds half of a UTF-16 surrogate pair ({escape}), not a valid character.",
    },
    "batch.not_object": {
        "vi": 'mỗi dòng phải là một đối tượng JSON, ví dụ {"role": "staff", "task": "meeting"}.',
        "en": 'each line must be a JSON object, e.g. {"role": "staff", "task": "meeting"}.',
    },
    "batch.unknown_key": {
        "vi": 'không có khóa "{key}"; các khóa: {keys}.',
        "en": 'no such key "{key}"; the keys: {keys}.',
    },
    "batch.not_text": {
        "vi": '"{key}" phải là một chuỗi (hoặc một số nguyên).',
        "en": '"{key}" must be a string (or a whole number).',
    },
    "batch.not_bool": {"vi": '"{key}" phải là true hoặc false.', "en": '"{key}" must be true or false.'},
    "batch.missing_key": {
        "vi": 'thiếu "{key}" (và không có trên dòng lệnh).',
        "en": 'missing "{key}" (and not given on the command line).',
    },
    "batch.unreadable": {
        "vi": 'Không đọc được tệp --batch "{path}": {reason}.',
        "en": 'Cannot read the --batch file "{path}": {reason}.',
    },
    "error.before_letter": {
        "vi": "--date {date}: Công văn {document} ban hành ngày {letter}, nên không có lời khuyên nào theo "
        "Công văn cho một ngày trước đó; hãy chọn ngày từ {letter} trở đi.",
        "en": "--date {date}: letter {document} was issued on {letter}, so it gives no advice for an earlier "
        "day; choose {letter} or later.",
    },
    "rule.kind.requires": {"vi": "điều kiện cần có", "en": "requires"},
    "rule.kind.roles": {"vi": "ai được dùng", "en": "who may use it"},
    "rule.kind.tasks": {"vi": "dùng cho công việc", "en": "serves the tasks"},
    "rule.kind.capacity": {"vi": "số người tối đa", "en": "most participants"},
    "rule.kind.sensitivity": {"vi": "mức độ nội dung được phép", "en": "content it may carry"},
    "rule.kind.offer": {"vi": "Công văn khuyến nghị đến hết ngày", "en": "recommended by the letter until"},
    "rule.kind.platforms": {"vi": "thiết bị", "en": "platforms"},
    "error.output": {
        "vi": "Không ghi được kết quả ra đầu ra chuẩn (stdout): {reason}. Kết quả không đầy đủ; "
        "hãy giải phóng chỗ trống hoặc ghi ra nơi khác rồi chạy lại.",
        "en": "Could not write the answer to standard output (stdout): {reason}. The answer is incomplete; "
        "free some space or write elsewhere, then run again.",
    },
    "error.output.disk_full": {"vi": "ổ đĩa đã đầy", "en": "the disk is full"},
    "error.internal": {
        "vi": "Lỗi nội bộ của gialai-remote ({error}). Xin báo lại cho người bảo trì, kèm lệnh đã chạy; "
        "đặt GIALAI_REMOTE_DEBUG=1 để xem chi tiết.",
        "en": "Internal error in gialai-remote ({error}). Please report it with the command you ran; "
        "set GIALAI_REMOTE_DEBUG=1 for details.",
    },
    "error.bad_participants": {
        "vi": '--participants "{value}" phải là số nguyên từ 1 đến {max} (ví dụ 12).',
        "en": '--participants "{value}" must be a whole number from 1 to {max} (e.g. 12).',
    },
    "error.unknown_id": {
        "vi": 'Cơ sở tri thức không có {what} "{value}"; chọn một trong: {choices}.',
        "en": 'The knowledge base has no {what} "{value}"; choose one of: {choices}.',
    },
    "error.missing_option": {
        "vi": "Thiếu {flag} ({what}); chọn một trong: {choices}.",
        "en": "Missing {flag} ({what}); choose one of: {choices}.",
    },
    "error.interrupted": {"vi": "Đã dừng.", "en": "Interrupted."},
    "error.option_needs_value": {
        "vi": "Tùy chọn {option} cần một giá trị, ví dụ {option} GIÁ_TRỊ.",
        "en": "Option {option} needs a value, e.g. {option} VALUE.",
    },
    "error.option_takes_no_value": {
        "vi": "Tùy chọn {option} không nhận giá trị; chỉ ghi {option}.",
        "en": "Option {option} takes no value; write just {option}.",
    },
    "error.extra_args": {
        "vi": 'Thừa đối số: {args}. Tên có dấu cách phải đặt trong ngoặc kép, ví dụ --role "thành viên UBND".',
        "en": 'Unexpected extra argument(s): {args}. Quote names with spaces, e.g. --role "committee member".',
    },
    "error.completion_shell": {
        "vi": 'Không nhận ra shell đang dùng ({shell}). Cài gợi ý lệnh thủ công: xem mục "Ngôn ngữ và '
        'terminal" trong README, ví dụ '
        "_GIALAI_REMOTE_COMPLETE=source_bash gialai-remote > ~/.gialai-remote-complete.bash",
        "en": 'Cannot tell which shell this is ({shell}). Install completion by hand: see "Language and '
        'terminals" in the README, e.g. '
        "_GIALAI_REMOTE_COMPLETE=source_bash gialai-remote > ~/.gialai-remote-complete.bash",
    },
    "completion.installed": {
        "vi": "Đã cài gợi ý lệnh cho {shell} vào {path}. Mở terminal mới để dùng.",
        "en": "Installed {shell} completion in {path}. Open a new terminal to use it.",
    },
    # ---- Typer's and click's own help texts -------------------------------------------
    "help.heading.usage": {"vi": "Cách dùng:", "en": "Usage:"},
    "help.heading.options": {"vi": "Tùy chọn", "en": "Options"},
    "help.heading.commands": {"vi": "Lệnh", "en": "Commands"},
    "help.heading.arguments": {"vi": "Đối số", "en": "Arguments"},
    "help.metavar.options": {"vi": "[TÙY_CHỌN]", "en": "[OPTIONS]"},
    "help.metavar.command": {"vi": "LỆNH [ĐỐI_SỐ]...", "en": "COMMAND [ARGS]..."},
    "help.opt.help": {"vi": "In hướng dẫn này rồi thoát.", "en": "Show this message and exit."},
    "lang.vi": {"vi": "Tiếng Việt", "en": "Vietnamese"},
    "lang.en": {"vi": "Tiếng Anh", "en": "English"},
    "help.opt.install_completion": {
        "vi": "Cài gợi ý lệnh (phím Tab) cho shell đang dùng: bash, zsh, fish hoặc PowerShell.",
        "en": "Install Tab completion for the current shell: bash, zsh, fish or PowerShell.",
    },
    "help.opt.show_completion": {
        "vi": "In đoạn mã gợi ý lệnh cho shell đang dùng, để tự chép hoặc chỉnh khi cài.",
        "en": "Print the completion script for the current shell, to copy it or adjust the installation.",
    },
    "note.folded": {
        "vi": "Ghi chú: terminal này không hiển thị được tiếng Việt có dấu nên chữ đã được bỏ dấu. "
        "Hãy đặt PYTHONIOENCODING=utf-8 để xem đủ dấu.",
        "en": "Note: this terminal cannot show Vietnamese diacritics, so they were dropped. "
        "Set PYTHONIOENCODING=utf-8 to see them.",
    },
    "note.encoding": {
        "vi": "Ghi chú: bảng mã {encoding} không dùng được để hiển thị văn bản nên kết quả được ghi "
        "bằng UTF-8. Hãy đặt PYTHONIOENCODING=utf-8.",
        "en": "Note: the encoding {encoding} cannot be used to show text, so the output was written "
        "in UTF-8. Set PYTHONIOENCODING=utf-8.",
    },
    # ---- matching and prompts ---------------------------------------------------------
    "match.unknown": {
        "vi": '{flag}: không có {what} "{value}".',
        "en": '{flag}: no {what} "{value}".',
    },
    "match.ambiguous": {
        "vi": '{flag}: "{value}" khớp với nhiều {what}: {names}. Hãy ghi rõ hơn.',
        "en": '{flag}: "{value}" matches more than one {what}: {names}. Be more specific.',
    },
    "match.did_you_mean": {"vi": "Có phải bạn muốn: {names}?", "en": "Did you mean: {names}?"},
    "match.choices": {"vi": "Chọn một trong: {names}.", "en": "Choose one of: {names}."},
    "prompt.roles": {
        "vi": "Cuộc họp hay công việc này là của ai?\n"
        "(Chọn theo người chủ trì cuộc họp hoặc người được giao việc, không theo người chuẩn bị giúp.)",
        "en": "Whose meeting or work is it?\n"
        "(Pick the role of the person who chairs the meeting or owns the work, not of whoever prepares it.)",
    },
    "role_hint.helper": {
        "vi": 'Chọn theo người chủ trì, không theo người chuẩn bị ("{value}"): nếu cuộc họp hay công việc do '
        "thành viên UBND tỉnh chủ trì, {member}; các trường hợp khác, {staff}.",
        "en": 'Choose by who chairs it, not by who prepares it ("{value}"): if a member of the provincial '
        "People's Committee chairs the meeting or owns the work, {member}; otherwise {staff}.",
    },
    "role_hint.leader": {
        "vi": "Chọn theo người chủ trì. Chủ tịch, các Phó Chủ tịch và các Ủy viên UBND tỉnh (trong đó có giám "
        'đốc một số sở) là thành viên UBND tỉnh: nếu người chủ trì ("{value}") là thành viên UBND tỉnh, '
        "{member}; nếu không, {staff}.",
        "en": "Choose by who chairs it. The chair, the vice-chairs and the members of the provincial People's "
        'Committee (some department directors among them) are its members: if the chair ("{value}") is one '
        "of them, {member}; otherwise {staff}.",
    },
    "role_hint.helper_other": {
        "vi": "Chọn vai trò của người chủ trì cuộc họp hoặc người được giao việc, không phải của người chuẩn "
        'bị ("{value}").',
        "en": "Pick the role of the person who chairs the meeting or owns the work, not of whoever prepares "
        'it ("{value}").',
    },
    "role_hint.leader_other": {
        "vi": '"{value}" là một chức vụ, chưa phải vai trò: chọn vai trò của người chủ trì cuộc họp hoặc '
        "người được giao việc.",
        "en": '"{value}" is an office, not a role: pick the role of the person who chairs the meeting or owns '
        "the work.",
    },
    "role_hint.pick": {"vi": "chọn {number} ({id})", "en": "pick {number} ({id})"},
    "role_hint.use": {"vi": "dùng {flag} {id}", "en": "use {flag} {id}"},
    "role_hint.use_key": {"vi": 'dùng "{flag}": "{id}"', "en": 'use "{flag}": "{id}"'},
    "label.alternatives": {"vi": "Được phép dùng thay:", "en": "Allowed instead:"},
    "label.no_alternatives": {
        "vi": "Không công cụ nào khác được phép cho cùng yêu cầu này.",
        "en": "No other tool is allowed for the same request.",
    },
    "prompt.tasks": {"vi": "Bạn cần làm gì?", "en": "What do you need to do?"},
    "prompt.sensitivities": {
        "vi": "Nội dung công việc ở mức độ nào?",
        "en": "How sensitive is the content?",
    },
    "prompt.platforms": {"vi": "Bạn dùng thiết bị nào?", "en": "Which platform do you use?"},
    "prompt.tools": {"vi": "Công cụ nào?", "en": "Which tool?"},
    "prompt.answer_empty": {
        "vi": "Chọn số (1-{count}) hoặc gõ tên (Enter: {hint}): ",
        "en": "Pick a number (1-{count}) or type a name (Enter: {hint}): ",
    },
    "prompt.answer": {
        "vi": "Chọn số (1-{count}) hoặc gõ tên: ",
        "en": "Pick a number (1-{count}) or type a name: ",
    },
    "prompt.participants": {
        "vi": "Bao nhiêu người tham gia? (Enter nếu chưa biết): ",
        "en": "How many people will take part? (Enter if unknown): ",
    },
    "prompt.gave_up": {
        "vi": "Đã hỏi ba lần mà chưa có câu trả lời hợp lệ; hãy dùng {flag}.",
        "en": "No valid answer after three tries; use {flag}.",
    },
    # ---- doctor (connectivity checks) -------------------------------------------------
    "help.doctor": {
        "vi": "Kiểm tra máy này có kết nối được tới các máy chủ họp trực tuyến mà Công văn ghi địa chỉ "
        "không (DNS, TCP, TLS, HTTPS) và gọi ai khi có lỗi. Đây là lệnh duy nhất mở kết nối mạng. "
        "Ví dụ: gialai-remote doctor --tool aic-emeeting --timeout 5",
        "en": "Check whether this machine can reach the meeting servers whose address the letter gives "
        "(DNS, TCP, TLS, HTTPS), and whom to call when it cannot. The only command that opens a network "
        "connection. Example: gialai-remote doctor --tool aic-emeeting --timeout 5",
    },
    "help.doctor.epilog": {
        "vi": "Mã thoát: 0 mọi bước đều đạt; 1 có bước bị lỗi; 2 lỗi cách dùng; 3 cơ sở tri thức hỏng; 130 bị ngắt.",
        "en": "Exit codes: 0 every step passed; 1 a step failed; 2 usage error; 3 broken knowledge base; "
        "130 interrupted.",
    },
    "help.opt.doctor_tool": {
        "vi": "Chỉ kiểm tra công cụ này (có thể lặp lại), ví dụ aic-emeeting. Mặc định: mọi công cụ có "
        "địa chỉ máy chủ.",
        "en": "Check only this tool (may be repeated), e.g. aic-emeeting. Default: every tool with a server address.",
    },
    "help.opt.timeout": {
        "vi": "Thời gian chờ tối đa cho mỗi bước, tính bằng giây (mặc định 5, từ 0.1 đến 60).",
        "en": "Longest wait for each step, in seconds (default 5, from 0.1 to 60).",
    },
    "error.bad_timeout": {
        "vi": '--timeout "{value}" phải là số giây từ {min} đến {max} (ví dụ 5).',
        "en": '--timeout "{value}" must be a number of seconds from {min} to {max} (e.g. 5).',
    },
    "doctor.step.dns": {"vi": "Phân giải tên miền (DNS)", "en": "Name lookup (DNS)"},
    "doctor.step.tcp": {"vi": "Kết nối TCP", "en": "TCP connection"},
    "doctor.step.tls": {"vi": "Bắt tay TLS, kiểm tra chứng thư số", "en": "TLS handshake and certificate"},
    "doctor.step.http": {"vi": "Yêu cầu HTTPS", "en": "HTTPS request"},
    "doctor.status.passed": {"vi": "ĐẠT", "en": "PASS"},
    "doctor.status.failed": {"vi": "LỖI", "en": "FAIL"},
    "doctor.status.skipped": {"vi": "BỎ QUA", "en": "SKIP"},
    "doctor.skipped": {"vi": "bỏ qua vì bước trước bị lỗi", "en": "skipped: an earlier step failed"},
    "doctor.reason.no_dns_answer": {
        "vi": 'Không có câu trả lời DNS cho "{host}": máy này không tìm được địa chỉ của máy chủ.',
        "en": 'No DNS answer for "{host}": this machine cannot find the server\'s address.',
    },
    "doctor.reason.timed_out": {
        "vi": "Hết thời gian chờ: không có phản hồi trong {seconds} giây.",
        "en": "Timed out: no response within {seconds} s.",
    },
    "doctor.reason.connection_refused": {
        "vi": "{address} từ chối kết nối ở cổng {port} (không có dịch vụ nào đang nghe ở đó).",
        "en": "Connection refused by {address} on port {port} (nothing is listening there).",
    },
    "doctor.reason.network_unreachable": {
        "vi": "Không có đường mạng tới {address} (mạng không tới được).",
        "en": "No route to {address}: the network is unreachable.",
    },
    "doctor.reason.connection_closed": {
        "vi": "Kết nối bị đóng giữa chừng (có thể do tường lửa hoặc proxy).",
        "en": "The connection was closed part-way (perhaps by a firewall or proxy).",
    },
    "doctor.reason.connection_failed": {
        "vi": "Không kết nối được tới {address} cổng {port}.",
        "en": "Could not connect to {address} port {port}.",
    },
    "doctor.reason.certificate_expired": {
        "vi": "Chứng thư số của máy chủ đã hết hạn.",
        "en": "The server's certificate has expired.",
    },
    "doctor.reason.certificate_not_yet_valid": {
        "vi": "Chứng thư số của máy chủ chưa đến ngày có hiệu lực (hoặc đồng hồ của máy này bị sai).",
        "en": "The server's certificate is not valid yet (or this machine's clock is wrong).",
    },
    "doctor.reason.certificate_untrusted": {
        "vi": "Chứng thư số của máy chủ không đáng tin cậy: không do tổ chức cấp chứng thư nào mà máy này tin cậy cấp.",
        "en": "The server's certificate is not trusted: no certificate authority this machine trusts issued it.",
    },
    "doctor.reason.certificate_wrong_name": {
        "vi": 'Chứng thư số được cấp cho tên khác, không phải "{host}".',
        "en": 'The certificate is for another name, not "{host}".',
    },
    "doctor.reason.certificate_invalid": {
        "vi": "Chứng thư số của máy chủ không hợp lệ.",
        "en": "The server's certificate is not valid.",
    },
    "doctor.reason.tls_failed": {
        "vi": "Không bắt tay TLS được (có thể cổng {port} không dùng HTTPS, hoặc proxy can thiệp).",
        "en": "The TLS handshake failed (port {port} may not speak HTTPS, or a proxy interferes).",
    },
    "doctor.reason.http_error": {
        "vi": "Máy chủ trả về lỗi HTTP {status}.",
        "en": "The server answered with HTTP error {status}.",
    },
    "doctor.reason.bad_http_response": {
        "vi": "Máy chủ trả lời không đúng giao thức HTTP.",
        "en": "The server's answer is not valid HTTP.",
    },
    "doctor.hint.network": {
        "vi": "Trước hết hãy kiểm tra kết nối Internet và DNS của máy này (thử mở một trang web khác).",
        "en": "First check this machine's Internet connection and DNS (try opening another website).",
    },
    "doctor.hint.firewall": {
        "vi": "Có thể tường lửa hoặc proxy của cơ quan chặn cổng {port}; hãy hỏi bộ phận CNTT của cơ quan.",
        "en": "A firewall or proxy at your agency may block port {port}; ask your agency's IT staff.",
    },
    "doctor.hint.server": {
        "vi": "Máy chủ có thể đang ngừng hoạt động, hoặc địa chỉ đã thay đổi.",
        "en": "The server may be down, or its address may have changed.",
    },
    "doctor.hint.certificate": {
        "vi": "Đừng bỏ qua cảnh báo về chứng thư số và đừng nhập mật khẩu; hãy báo cho người hỗ trợ.",
        "en": "Do not click through the certificate warning and do not enter passwords; tell the support contact.",
    },
    "doctor.hint.clock": {
        "vi": "Trước hết hãy kiểm tra ngày giờ của máy này.",
        "en": "First check this machine's date and time.",
    },
    "doctor.reason.too_many_open_files": {
        "vi": "Máy này đã hết số tệp và kết nối được mở cùng lúc (quá nhiều tệp đang mở).",
        "en": "This machine ran out of open files and connections (too many files open).",
    },
    "doctor.reason.internal_error": {
        "vi": "Lỗi nội bộ của gialai-remote khi kiểm tra bước này.",
        "en": "An internal error in gialai-remote during this step.",
    },
    "doctor.hint.local": {
        "vi": "Hãy đóng bớt chương trình đang chạy trên máy này rồi thử lại.",
        "en": "Close some programs running on this machine and try again.",
    },
    "doctor.hint.report": {
        "vi": "Xin báo lại cho người bảo trì gialai-remote, kèm lệnh đã chạy.",
        "en": "Please report this to the maintainers of gialai-remote, with the command you ran.",
    },
    # ---- doctor: the proxy (gialai_remote.doctor.proxy) and the trust (gialai_remote.doctor.trust)
    "doctor.reason.proxy_unreachable": {
        "vi": "Không kết nối được tới proxy {proxy} (đặt trong {setting}): trình duyệt dùng proxy này "
        "cũng sẽ không vào được.",
        "en": "Cannot reach the proxy {proxy} (set in {setting}): a browser using this proxy would fail too.",
    },
    "doctor.reason.proxy_auth_required": {
        "vi": "Proxy {proxy} đòi đăng nhập (HTTP 407) và không mở đường hầm tới {host}:{port}.",
        "en": "The proxy {proxy} asks for a login (HTTP 407) and did not open a tunnel to {host}:{port}.",
    },
    "doctor.reason.proxy_refused": {
        "vi": "Proxy {proxy} từ chối mở đường hầm tới {host}:{port} (HTTP {status}).",
        "en": "The proxy {proxy} refused to open a tunnel to {host}:{port} (HTTP {status}).",
    },
    "doctor.reason.proxy_bad_response": {
        "vi": "Proxy {proxy} trả lời không đúng giao thức HTTP.",
        "en": "The answer of the proxy {proxy} is not valid HTTP.",
    },
    "doctor.reason.proxy_unsupported": {
        "vi": "Không dùng được proxy {proxy} (đặt trong {setting}): lệnh doctor chỉ kiểm tra qua proxy http://.",
        "en": "Cannot use the proxy {proxy} (set in {setting}): doctor checks through http:// proxies only.",
    },
    "doctor.hint.proxy": {
        "vi": "Hãy kiểm tra cài đặt proxy của máy này (các biến HTTPS_PROXY, ALL_PROXY, NO_PROXY hoặc cài đặt "
        "proxy của hệ thống), hoặc hỏi bộ phận CNTT của cơ quan địa chỉ proxy đúng.",
        "en": "Check this machine's proxy settings (the HTTPS_PROXY, ALL_PROXY and NO_PROXY variables, or the "
        "system's proxy settings), or ask your agency's IT staff for the right proxy.",
    },
    "doctor.hint.proxy_auth": {
        "vi": "Proxy cần tài khoản: hãy hỏi bộ phận CNTT của cơ quan; tài khoản được ghi trong địa chỉ proxy "
        "(http://tên:mật-khẩu@proxy:cổng).",
        "en": "The proxy needs an account: ask your agency's IT staff; the account goes in the proxy address "
        "(http://user:password@proxy:port).",
    },
    "doctor.hint.proxy_blocked": {
        "vi": "Proxy của cơ quan có thể chặn {host} cổng {port}; hãy đề nghị bộ phận CNTT của cơ quan cho phép.",
        "en": "Your agency's proxy may block {host} port {port}; ask your agency's IT staff to allow it.",
    },
    "doctor.route.none": {"vi": "kết nối trực tiếp (không đặt proxy)", "en": "direct connection (no proxy set)"},
    "doctor.route.proxy": {
        "vi": "kết nối qua proxy {proxy} (đặt trong {setting})",
        "en": "connection through the proxy {proxy} (set in {setting})",
    },
    "doctor.route.bypassed": {
        "vi": "kết nối trực tiếp: {bypass} miễn proxy {proxy} (đặt trong {setting}) cho máy chủ này",
        "en": "direct connection: {bypass} exempts this server from the proxy {proxy} (set in {setting})",
    },
    "doctor.setting.system": {"vi": "cài đặt proxy của hệ thống", "en": "the system's proxy settings"},
    "doctor.bypass.system": {"vi": "danh sách ngoại lệ proxy của hệ thống", "en": "the system's proxy exceptions"},
    "doctor.detail.proxy_addresses": {
        "vi": "địa chỉ IP của proxy: {addresses}",
        "en": "IP addresses of the proxy: {addresses}",
    },
    "doctor.detail.proxy_address": {
        "vi": "đã kết nối tới proxy {address}, cổng {port}",
        "en": "connected to the proxy {address}, port {port}",
    },
    "doctor.detail.tunnel": {
        "vi": "proxy đã mở đường hầm tới {target} ({status})",
        "en": "the proxy opened a tunnel to {target} ({status})",
    },
    "doctor.detail.trust": {
        "vi": "chứng thư được kiểm tra theo: {trust}",
        "en": "certificate checked against: {trust}",
    },
    "doctor.trust.truststore": {
        "vi": "kho chứng thư gốc của hệ điều hành ({system}), qua truststore",
        "en": "the operating system's trust store ({system}), through truststore",
    },
    "doctor.trust.openssl": {
        "vi": "các chứng thư gốc của hệ thống do OpenSSL đọc (không dùng được truststore)",
        "en": "the system's CA certificates as OpenSSL reads them (truststore not available)",
    },
    "doctor.trust.certifi": {
        "vi": "bộ chứng thư gốc của certifi (hệ thống không có chứng thư gốc nào)",
        "en": "certifi's CA bundle (the system has no CA certificate)",
    },
    "doctor.trust.custom": {
        "vi": "kho chứng thư gốc được đưa vào cùng lượt kiểm tra (không phải của hệ thống)",
        "en": "a trust store supplied with the run (not the system's)",
    },
    # ---- why a server URL is refused (gialai_remote.urls.REASONS)
    "url.reason.not-https": {"vi": "không bắt đầu bằng https://", "en": "it does not start with https://"},
    "url.reason.control-character": {"vi": "có ký tự điều khiển", "en": "it contains a control character"},
    "url.reason.whitespace": {"vi": "có khoảng trắng", "en": "it contains white space"},
    "url.reason.invisible-character": {
        "vi": "có ký tự vô hình (ví dụ ký tự đảo hướng chữ)",
        "en": "it contains an invisible character (e.g. a bidi control)",
    },
    "url.reason.backslash": {
        "vi": "có dấu gạch chéo ngược, trình duyệt đọc nó như dấu /",
        "en": "it contains a backslash, which browsers read as /",
    },
    "url.reason.userinfo": {
        "vi": "có phần tên người dùng trước dấu @, dễ bị đọc nhầm là tên máy chủ",
        "en": "it has user information before an @, easily taken for the host name",
    },
    "url.reason.no-host": {"vi": "không có tên máy chủ", "en": "it has no host name"},
    "url.reason.bad-host": {
        "vi": "tên máy chủ có ký tự không được phép trong tên máy chủ",
        "en": "the host name has characters a host name cannot have",
    },
    "url.reason.bad-ip": {
        "vi": "địa chỉ IP không viết ở dạng chuẩn (ví dụ 203.0.113.5)",
        "en": "the IP address is not written in its standard form (e.g. 203.0.113.5)",
    },
    "url.reason.empty-label": {
        "vi": "tên máy chủ có phần rỗng (hai dấu chấm liền nhau, hoặc dấu chấm ở đầu hay cuối)",
        "en": "the host name has an empty part (two dots in a row, or a dot at either end)",
    },
    "url.reason.label-too-long": {
        "vi": "một phần của tên máy chủ dài quá 63 ký tự",
        "en": "a part of the host name is longer than 63 characters",
    },
    "url.reason.host-too-long": {
        "vi": "tên máy chủ dài quá 253 ký tự",
        "en": "the host name is longer than 253 characters",
    },
    "url.reason.bad-idna": {
        "vi": "tên miền quốc tế hóa (IDN) không hợp lệ, hoặc có thể được đọc theo hai cách",
        "en": "the internationalised host name is invalid, or can be read in two ways",
    },
    "url.reason.bad-port": {
        "vi": "cổng không phải số từ 1 đến 65535",
        "en": "the port is not a number from 1 to 65535",
    },
    "url.reason.dot-segment": {
        "vi": "đường dẫn có đoạn . hoặc .., trình duyệt bỏ đi còn máy chủ thì không",
        "en": "the path has a . or .. segment, which browsers remove and servers may not",
    },
    "doctor.verdict.passed": {
        "vi": "Kết nối tốt: máy này tới được cả {count} máy chủ đã kiểm tra.",
        "en": "All good: this machine reaches all {count} server(s) checked.",
    },
    "doctor.verdict.failed": {
        "vi": "Có lỗi: không tới được {failed}/{count} máy chủ.",
        "en": "Problem: {failed} of {count} server(s) cannot be reached.",
    },
    "doctor.verdict.nothing": {
        "vi": "Không có máy chủ nào để kiểm tra.",
        "en": "No server to check.",
    },
    "doctor.tool.passed": {"vi": "Kết nối được.", "en": "Reachable."},
    "doctor.tool.failed": {"vi": 'Lỗi ở bước "{step}".', "en": 'Failed at step "{step}".'},
    "doctor.tool.no_server": {
        "vi": "Công văn không ghi địa chỉ máy chủ cho công cụ này nên không có gì để kiểm tra (không tính là lỗi).",
        "en": "The letter gives no server address for this tool, so there is nothing to check (not a failure).",
    },
    "doctor.call": {"vi": "Nếu vẫn lỗi, hãy gọi hỗ trợ:", "en": "If it still fails, call:"},
    "doctor.contacts_date": {
        "vi": "(người liên hệ theo Công văn {document} ngày {date}; số điện thoại có thể đã thay đổi)",
        "en": "(contacts as of letter {document} of {date}; phone numbers may have changed)",
    },
    "doctor.no_contacts": {
        "vi": "Cơ sở tri thức không có người liên hệ hỗ trợ cho công cụ này.",
        "en": "The knowledge base has no support contact for this tool.",
    },
    "doctor.source": {
        "vi": "địa chỉ theo mục {section} của Công văn",
        "en": "address from section {section} of the letter",
    },
    "doctor.detail.addresses": {"vi": "địa chỉ IP: {addresses}", "en": "IP addresses: {addresses}"},
    "doctor.detail.address": {
        "vi": "đã kết nối tới {address}, cổng {port}",
        "en": "connected to {address}, port {port}",
    },
    "doctor.detail.protocol": {"vi": "giao thức: {protocol}", "en": "protocol: {protocol}"},
    "doctor.detail.subject": {"vi": "cấp cho: {subject}", "en": "subject: {subject}"},
    "doctor.detail.issuer": {"vi": "tổ chức cấp: {issuer}", "en": "issuer: {issuer}"},
    "doctor.detail.names": {"vi": "tên trong chứng thư: {names}", "en": "names in the certificate: {names}"},
    "doctor.detail.expiry": {
        "vi": "hết hạn: {date} (còn {days} ngày)",
        "en": "expires: {date} ({days} days left)",
    },
    "doctor.detail.hostname": {
        "vi": 'khớp tên máy chủ "{host}": {match}',
        "en": 'matches host name "{host}": {match}',
    },
    "doctor.yes": {"vi": "có", "en": "yes"},
    "doctor.no": {"vi": "không", "en": "no"},
    "doctor.detail.status": {"vi": "mã trạng thái HTTP: {status}", "en": "HTTP status: {status}"},
    "doctor.detail.error": {"vi": "chi tiết kỹ thuật: {error}", "en": "technical detail: {error}"},
    "doctor.footer": {
        "vi": "Kiểm tra lúc {time}; mỗi bước chờ tối đa {timeout} giây, cả lượt tối đa {bound} giây. "
        "Chỉ lệnh doctor mở kết nối mạng.",
        "en": "Checked at {time}; each step waits at most {timeout} s, the whole run at most {bound} s. "
        "Only the doctor command opens network connections.",
    },
    "doctor.progress": {
        "vi": "Đang kiểm tra kết nối (tối đa {bound} giây)...",
        "en": "Checking connections (at most {bound} s)...",
    },
    "kb.bad_server_url": {
        "vi": 'công cụ {tool}: server_url "{url}" phải là địa chỉ https:// có tên máy chủ '
        "và cổng (nếu có) từ 1 đến 65535",
        "en": 'tool {tool}: server_url "{url}" must be an https:// address with a host name '
        "and, if any, a port from 1 to 65535",
    },
    # ---- setup handouts and printable documents (setup, recommend --format markdown|html)
    "help.setup": {
        "vi": "In hướng dẫn một trang cho một công cụ: dùng để làm gì, ai được dùng, các bước cài đặt, "
        "URL máy chủ, người hỗ trợ, lưu ý; --all: mọi công cụ, kèm mục lục. Ví dụ: gialai-remote setup "
        "aic-emeeting --output huong-dan.html; gialai-remote setup --all --format html --output huong-dan/",
        "en": "Print a one-page handout for a tool: what it is for, who may use it, the setup steps, the "
        "server URL, whom to call, what to keep in mind; --all: every tool, with an index. Example: "
        "gialai-remote setup aic-emeeting --output handout.html; gialai-remote setup --all --format html "
        "--output handouts/",
    },
    "help.setup.epilog": {
        "vi": "Mã thoát: 0 đã in hoặc ghi hướng dẫn; 2 lỗi cách dùng (kể cả tệp đã có mà không có --force, "
        "hoặc không ghi được tệp); 3 cơ sở tri thức hỏng; 130 bị ngắt.",
        "en": "Exit codes: 0 handout printed or written; 2 usage error (including an existing file without "
        "--force, or a file that cannot be written); 3 broken knowledge base; 130 interrupted.",
    },
    "help.arg.setup_tool": {
        "vi": "Công cụ, ví dụ aic-emeeting, polycom, vnpt-meeting, zalo.",
        "en": "The tool, e.g. aic-emeeting, polycom, vnpt-meeting, zalo.",
    },
    "help.opt.setup_platform": {
        "vi": "Chỉ in các bước cho thiết bị này (ios, android, windows, macos, linux, web); "
        "mặc định in cho mọi thiết bị.",
        "en": "Only the steps for this platform (ios, android, windows, macos, linux, web); every "
        "platform's by default.",
    },
    "help.opt.setup_format": {
        "vi": "Định dạng: text (mặc định, cho màn hình), markdown, hoặc html (một tệp để in, khổ A4).",
        "en": "Format: text (default, for the terminal), markdown, or html (one file to print, A4).",
    },
    "help.opt.output": {
        "vi": "Ghi vào tệp này (ghi an toàn: tệp tạm trong cùng thư mục rồi đổi tên), hoặc vào thư mục này khi "
        'kết thúc bằng "/" hay là thư mục có sẵn (tên tệp theo mã công cụ); "-" là in ra màn hình. Không có '
        "--format thì định dạng theo đuôi tệp: .html, .htm, .md, .markdown, .txt.",
        "en": "Write to this file (safely: a temporary file in the same folder, then renamed), or into this folder "
        'when it ends with "/" or is an existing folder (files named by tool id); "-" means stdout. Without '
        "--format the format follows the file's extension: .html, .htm, .md, .markdown, .txt.",
    },
    "help.opt.all": {
        "vi": "Ghi tờ hướng dẫn của mọi công cụ và một trang mục lục (index) vào thư mục --output, cho một "
        "buổi tập huấn: ghi đủ cả bộ hoặc không ghi gì.",
        "en": "Write every tool's handout and an index page into the --output folder, for a training day: the "
        "whole set or nothing.",
    },
    "help.opt.force": {
        "vi": "Cho phép ghi đè tệp --output đã có.",
        "en": "Allow overwriting an existing --output file.",
    },
    "error.output_exists": {
        "vi": 'Tệp "{path}" đã có; không ghi đè. Dùng --force để ghi đè, hoặc chọn tên khác.',
        "en": '"{path}" already exists and was left untouched. Use --force to overwrite it, or choose another name.',
    },
    "error.output_empty": {
        "vi": "--output cần tên tệp (hoặc - để in ra màn hình).",
        "en": "--output needs a file name (or - for standard output).",
    },
    "error.output_nul": {
        "vi": 'Tên tệp "{path}" chứa ký tự NUL (\\x00), không hệ điều hành nào chấp nhận; hãy đặt tên khác.',
        "en": 'The file name "{path}" holds a NUL character (\\x00), which no operating system accepts; '
        "choose another name.",
    },
    "error.output_not_file": {
        "vi": "--output {path}: không phải tệp thường (thiết bị, FIFO hay socket); không ghi đè lên nó.",
        "en": "--output {path}: not a regular file (a device, FIFO or socket); it is not replaced.",
    },
    "error.output_is_dir": {
        "vi": '"{path}" là một thư mục; hãy ghi tên tệp (ví dụ huong-dan.html), hoặc kết thúc bằng "/" để ghi '
        "vào trong thư mục đó.",
        "en": '"{path}" is a folder; give a file name (e.g. handout.html), or end it with "/" to write into '
        "that folder.",
    },
    "error.output_not_folder": {
        "vi": '--all ghi cả bộ tờ vào một thư mục, nhưng "{path}" là một tệp; hãy chọn tên thư mục.',
        "en": '--all writes the whole set into a folder, but "{path}" is a file; choose a folder name.',
    },
    "error.all_needs_folder": {
        "vi": "--all cần --output THƯ_MỤC/ (ví dụ --output huong-dan/): mỗi công cụ một tệp, kèm trang mục lục.",
        "en": "--all needs --output FOLDER/ (e.g. --output handouts/): one file per tool, plus an index page.",
    },
    "error.all_and_tool": {
        "vi": '--all ghi mọi công cụ; bỏ tên công cụ "{tool}", hoặc bỏ --all.',
        "en": '--all writes every tool; drop the tool name "{tool}", or drop --all.',
    },
    "error.format_conflict": {
        "vi": '--format {format} không khớp với đuôi tệp "{path}" (đuôi đó là định dạng {implied}); hãy đổi '
        "một trong hai.",
        "en": '--format {format} does not match the extension of "{path}" (which means {implied}); change one of them.',
    },
    "error.unknown_extension": {
        "vi": 'Không biết định dạng nào cho đuôi "{extension}" của "{path}"; thêm --format text, markdown hoặc '
        "html (hoặc dùng đuôi .txt, .md, .html).",
        "en": 'No format is known for the extension "{extension}" of "{path}"; add --format text, markdown or '
        "html (or use .txt, .md, .html).",
    },
    "note.output_written_all": {
        "vi": "Đã ghi {count} tệp vào {folder} (mục lục: {index})",
        "en": "Wrote {count} files into {folder} (index: {index})",
    },
    "error.output_write": {
        "vi": 'Không ghi được "{path}": {reason}. Không có tệp nào bị thay đổi.',
        "en": 'Cannot write "{path}": {reason}. No file was changed.',
    },
    "error.output_symlink": {
        "vi": '"{path}" là một liên kết tượng trưng (symbolic link); gialai-remote không ghi qua liên kết. '
        "Hãy ghi thẳng vào tệp đích. Không có tệp nào bị thay đổi.",
        "en": '"{path}" is a symbolic link; gialai-remote does not write through links. '
        "Name the file itself. No file was changed.",
    },
    "error.output_shared_link": {
        "vi": '"{path}" đi qua liên kết "{link}" do người dùng khác tạo trong thư mục dùng chung; '
        "không ghi vào đó. Không có tệp nào bị thay đổi.",
        "en": '"{path}" goes through the link "{link}", which another user made in a shared folder; '
        "nothing is written there. No file was changed.",
    },
    "error.output_no_cwd": {
        "vi": '--output "{path}": thư mục hiện tại không còn nữa (đã bị xóa); '
        "hãy chuyển tới một thư mục có thật, hoặc ghi đường dẫn đầy đủ.",
        "en": '--output "{path}": the current folder no longer exists (it was deleted); '
        "change to a folder that exists, or give the full path.",
    },
    "error.output_busy": {
        "vi": 'Không ghi được "{path}": tệp đang bị chương trình khác giữ (trình diệt virus hay trình soạn thảo?). '
        "Không có tệp nào bị thay đổi; hãy thử lại.",
        "en": 'Cannot write "{path}": another program (an antivirus or an editor?) holds the file. '
        "No file was changed; try again.",
    },
    "error.terminated": {
        "vi": "Đã dừng vì nhận tín hiệu {signal}; không có tệp nào bị thay đổi.",
        "en": "Stopped by signal {signal}; no file was changed.",
    },
    "error.terminated_written": {
        "vi": "Đã dừng vì nhận tín hiệu {signal}, sau khi đã ghi xong {path}.",
        "en": "Stopped by signal {signal}, after {path} was written in full.",
    },
    "note.output_written": {"vi": "Đã ghi {path}", "en": "Wrote {path}"},
    "handout.title": {"vi": "Hướng dẫn sử dụng: {tool}", "en": "How to use: {tool}"},
    "handout.for": {
        "vi": "Theo Công văn {document}, mục {section} · Áp dụng ngày {date}",
        "en": "From letter {document}, section {section} · Advice for {date}",
    },
    "handout.all_platforms": {"vi": "mọi thiết bị", "en": "every platform"},
    "handout.steps_for": {"vi": "Các bước cho: {platform}", "en": "Steps for: {platform}"},
    "handout.purpose": {"vi": "Dùng để làm gì", "en": "What it is for"},
    "handout.facts": {"vi": "Ai được dùng, dùng cho việc gì", "en": "Who may use it, and for what"},
    "handout.who": {"vi": "Ai được dùng", "en": "Who may use it"},
    "handout.tasks": {"vi": "Công việc", "en": "Tasks"},
    "handout.content": {"vi": "Nội dung được phép", "en": "Content allowed"},
    "handout.not_for": {"vi": "Không bao giờ dùng cho", "en": "Never for"},
    "handout.capacity": {"vi": "Số người tối đa", "en": "Most participants"},
    "handout.capacity_value": {"vi": "{max} người", "en": "{max} people"},
    "handout.platforms": {"vi": "Thiết bị", "en": "Runs on"},
    "handout.platforms_any": {
        "vi": "Công văn không giới hạn thiết bị",
        "en": "The letter sets no platform limit",
    },
    "handout.needs": {"vi": "Cần có", "en": "You need"},
    "handout.operator": {"vi": "Đơn vị vận hành", "en": "Run by"},
    "handout.app": {"vi": "Ứng dụng", "en": "App"},
    "handout.steps": {"vi": "Các bước cài đặt và sử dụng", "en": "Setup steps"},
    "handout.no_steps": {
        "vi": "Công văn không hướng dẫn các bước cài đặt cho công cụ này; hãy hỏi bộ phận công nghệ thông tin "
        "của đơn vị.",
        "en": "The letter gives no setup steps for this tool; ask your unit's IT staff.",
    },
    "handout.server_url": {"vi": "URL máy chủ", "en": "Server URL"},
    "handout.qr": {"vi": "Quét mã để mở URL máy chủ", "en": "Scan to open the server URL"},
    "handout.qr_too_long": {
        "vi": "URL quá dài để in thành mã QR; hãy gõ URL ở trên.",
        "en": "The URL is too long for a QR code; type the URL above.",
    },
    "handout.url_refused": {
        "vi": "Cảnh báo: URL này có thể bị đọc thành địa chỉ khác ({reason}), nên không in mã QR. "
        "Hãy hỏi người hỗ trợ địa chỉ đúng.",
        "en": "Warning: this URL can be read as another address ({reason}), so no QR code is printed. "
        "Ask the support contact for the right address.",
    },
    "handout.contacts": {"vi": "Liên hệ hỗ trợ", "en": "Support contacts"},
    "handout.no_contacts": {
        "vi": "Công văn không nêu người hỗ trợ cho công cụ này; hãy hỏi bộ phận công nghệ thông tin của đơn vị.",
        "en": "The letter names no support contact for this tool; ask your unit's IT staff.",
    },
    "handout.blocked": {
        "vi": "Chú ý: theo Công văn, không dùng được như hướng dẫn này",
        "en": "Note: by the letter, not usable as described here",
    },
    "handout.warnings": {"vi": "Lưu ý", "en": "Keep in mind"},
    "handout.late": {
        "vi": "Đây là hướng dẫn của Công văn năm {year} (đã hơn {years} năm), không phải hướng dẫn hiện hành: "
        "hãy kiểm tra lại với đơn vị phụ trách trước khi dùng (lệnh gialai-remote doctor kiểm tra máy chủ).",
        "en": "This is the guidance of a letter of {year} (more than {years} years ago), not current guidance: "
        "check with the unit in charge before use (gialai-remote doctor checks the server).",
        "en_one": "This is the guidance of a letter of {year} (more than a year ago), not current guidance: "
        "check with the unit in charge before use (gialai-remote doctor checks the server).",
        "plural": "years",
    },
    "handout.notices": {"vi": "Thông báo mới sau Công văn", "en": "Notices from after the letter"},
    "handout.source": {
        "vi": "Nguồn: Công văn {document} ngày {date} của {issuer}, mục {section}: “{title}”.",
        "en": "Source: letter {document} of {date}, {issuer}, section {section}: “{title}”.",
    },
    "handout.made": {
        "vi": "Lập bằng gialai-remote cho ngày {date}. Hãy gọi người hỗ trợ nếu có điều chưa rõ.",
        "en": "Made with gialai-remote for {date}. Call a support contact if anything is unclear.",
    },
    "handout.made_no_contacts": {
        "vi": "Lập bằng gialai-remote cho ngày {date}. Nếu có điều chưa rõ, hãy hỏi bộ phận công nghệ thông tin "
        "của đơn vị.",
        "en": "Made with gialai-remote for {date}. If anything is unclear, ask your unit's IT staff.",
    },
    "index.title": {
        "vi": "Tờ hướng dẫn làm việc từ xa theo Công văn {document}",
        "en": "Remote-work handouts from letter {document}",
    },
    "index.for": {
        "vi": "Áp dụng ngày {date} · Các bước cho: {platform}",
        "en": "Advice for {date} · Steps for: {platform}",
    },
    "index.intro": {
        "vi": "Mỗi công cụ một tờ, in vừa một trang A4. Tờ của công cụ không dùng được vào ngày này có ghi rõ lý do.",
        "en": "One sheet per tool, each printing on one A4 page. A tool that cannot be used on this day says why "
        "on its sheet.",
    },
    "index.blocked": {"vi": "không dùng được như hướng dẫn", "en": "not usable as described"},
    "index.file": {"vi": "tệp {file}", "en": "file {file}"},
    "advice.title": {"vi": "Khuyến nghị làm việc từ xa", "en": "Remote-work advice"},
    "advice.recommended": {"vi": "Công cụ được khuyến nghị", "en": "Recommended tools"},
    # ---- knowledge-base problems ------------------------------------------------------
    "kb.unreadable": {"vi": "không đọc được tệp: {reason}", "en": "cannot read the file: {reason}"},
    "kb.not_regular": {
        "vi": "không phải tệp thường (thiết bị, FIFO hay socket); để đọc từ đầu vào chuẩn, hãy dùng -",
        "en": "not a regular file (a device, FIFO or socket); to read standard input, use -",
    },
    "kb.too_many_problems": {
        "vi": "… và {count} vấn đề nữa không được liệt kê (lỗi: {errors}, cảnh báo: {warnings}); "
        "chỉ in {limit} vấn đề đầu tiên, lỗi trước cảnh báo",
        "en": "… and {count} more problems not listed (errors: {errors}, warnings: {warnings}); "
        "only the first {limit} are shown, errors before warnings",
        "en_one": "… and 1 more problem not listed (errors: {errors}, warnings: {warnings}); "
        "only the first {limit} are shown, errors before warnings",
    },
    "kb.and_more": {"vi": ", và {count} mã khác", "en": ", and {count} more"},
    "kb.not_utf8": {
        "vi": "tệp không phải UTF-8 (byte lỗi ở vị trí {offset})",
        "en": "the file is not UTF-8 (bad byte at offset {offset})",
    },
    "kb.empty": {"vi": "tệp rỗng", "en": "the file is empty"},
    "kb.yaml_syntax": {"vi": "lỗi cú pháp YAML: {detail}", "en": "YAML syntax error: {detail}"},
    "kb.duplicate_key": {
        "vi": 'khóa "{key}" bị lặp (đã có ở dòng {line}); YAML sẽ âm thầm bỏ giá trị trước',
        "en": 'duplicate key "{key}" (first at line {line}); YAML would silently drop the earlier value',
    },
    # (knowledge/) one key per problem code; {raw} is the value as written in the file
    "kb.too_large": {
        "vi": "tệp quá lớn ({size} byte; tối đa {limit} byte); không đọc tiếp",
        "en": "the file is too large ({size} bytes; at most {limit}); not read further",
    },
    "kb.too_deep": {
        "vi": "dữ liệu lồng nhau quá sâu (hơn {limit} cấp); không đọc tiếp",
        "en": "the data is nested too deeply (more than {limit} levels); not read further",
    },
    "kb.alias_expansion": {
        "vi": 'các bí danh YAML (*alias) bung ra hơn {limit} giá trị (kiểu tệp "billion laughs"); không đọc tiếp',
        "en": 'YAML aliases (*alias) expand to more than {limit} values (a "billion laughs" file); not read further',
    },
    "kb.too_many_values": {
        "vi": "tệp có hơn {limit} giá trị; không đọc tiếp",
        "en": "the file holds more than {limit} values; not read further",
    },
    "kb.unsafe_tag": {
        "vi": "thẻ YAML {tag} không được phép: chỉ đọc dữ liệu YAML thuần, không thực thi gì",
        "en": "YAML tag {tag} is not allowed: only plain YAML data is read, nothing is executed",
    },
    "kb.not_a_mapping": {
        "vi": "cấp ngoài cùng của tệp phải là các cặp khóa: giá trị, không phải {found}",
        "en": "the top level of the file must be key: value pairs, not {found}",
    },
    "kb.unsupported_schema_version": {
        "vi": "schema_version {value} không được hỗ trợ; phiên bản hỗ trợ: {supported}",
        "en": "schema_version {value} is not supported; supported: {supported}",
    },
    "kb.schema_version_1": {
        "vi": 'tệp theo định dạng 1, vẫn đọc được (chuyển sang định dạng 2 khi đọc); để nâng cấp: thay "source:" '
        'bằng danh sách "sources:" (Công văn đứng đầu, id: letter-415), ghi "sources: [id]" cho mỗi thông báo '
        "và đặt schema_version: 2 (xem docs/knowledge-base.md)",
        "en": 'file in format 1, still read (converted to format 2 when read); to upgrade: replace "source:" with '
        'a "sources:" list (the letter first, id: letter-415), give each notice "sources: [id]" and set '
        "schema_version: 2 (see docs/knowledge-base.md)",
    },
    "kb.missing_key": {"vi": 'thiếu khóa bắt buộc "{key}"', "en": 'missing required key "{key}"'},
    "kb.unknown_key": {
        "vi": 'khóa "{key}" không có trong định dạng{hint}; các khóa dùng được ở đây: {allowed}',
        "en": 'unknown key "{key}"{hint}; the keys allowed here: {allowed}',
    },
    "kb.did_you_mean": {"vi": ' (có phải "{key}"?)', "en": ' (did you mean "{key}"?)'},
    "kb.wrong_type": {"vi": "cần {expected}, nhưng gặp {found}", "en": "expected {expected}, found {found}"},
    "kb.or": {"vi": " hoặc ", "en": " or "},
    "kb.type.string": {"vi": "văn bản", "en": "text"},
    "kb.type.integer": {"vi": "số nguyên", "en": "a whole number"},
    "kb.type.number": {"vi": "số thập phân", "en": "a decimal number"},
    "kb.type.boolean": {"vi": "giá trị đúng/sai", "en": "true/false"},
    "kb.type.null": {"vi": "giá trị trống", "en": "an empty value"},
    "kb.type.array": {"vi": "danh sách", "en": "a list"},
    "kb.type.object": {"vi": "các cặp khóa: giá trị", "en": "key: value pairs"},
    "kb.type.tools": {
        "vi": "all, danh sách mã công cụ, hoặc bộ chọn theo category và/hoặc section (ví dụ category: public-app)",
        "en": "all, a list of tool ids, or a selector by category and/or section (e.g. category: public-app)",
    },
    "kb.type.cite": {
        "vi": "mã một nguồn, hoặc {source, section, article}",
        "en": "a source id, or {source, section, article}",
    },
    "kb.type.date_or_null": {"vi": "một ngày YYYY-MM-DD hoặc null", "en": "a date YYYY-MM-DD or null"},
    "kb.type.text_or_null": {"vi": "văn bản {vi, en} hoặc null", "en": "a text {vi, en} or null"},
    "kb.bad_period": {
        "vi": "ngày kết thúc {end} sớm hơn ngày bắt đầu {start}",
        "en": "the end {end} is before the start {start}",
    },
    "kb.wrong_value": {
        "vi": 'giá trị "{value}" không hợp lệ; chọn một trong: {choices}',
        "en": '"{value}" is not allowed here; choose one of: {choices}',
    },
    "kb.too_small": {"vi": "giá trị {value} phải từ {minimum} trở lên", "en": "{value} must be at least {minimum}"},
    "kb.bad_pattern": {"vi": 'giá trị "{value}" sai dạng', "en": '"{value}" is not in the expected form'},
    "kb.empty_value": {"vi": "giá trị không được để trống", "en": "the value must not be empty"},
    "kb.yaml_octal": {
        "vi": "YAML 1.1 đọc {raw} (bắt đầu bằng số 0) thành số bát phân {value}, ở đây cần văn bản; "
        'hãy viết trong dấu nháy: "{raw}"',
        "en": "YAML 1.1 reads {raw} (leading zero) as the octal number {value}, but text is expected here; "
        'write it in quotes: "{raw}"',
    },
    "kb.yaml_number": {
        "vi": "YAML đọc {raw} thành số {value} (mất số 0 ở đầu, dấu + hay cách viết), ở đây cần văn bản; "
        'hãy viết trong dấu nháy: "{raw}"',
        "en": "YAML reads {raw} as the number {value} (a leading zero, a + or the spelling is lost), but text is "
        'expected here; write it in quotes: "{raw}"',
    },
    "kb.yaml_boolean": {
        "vi": "YAML 1.1 đọc {raw} thành giá trị đúng/sai ({value}), ở đây cần văn bản; "
        'hãy viết trong dấu nháy: "{raw}"',
        "en": 'YAML 1.1 reads {raw} as the boolean {value}, but text is expected here; write it in quotes: "{raw}"',
    },
    "kb.yaml_sexagesimal": {
        "vi": 'YAML 1.1 đọc {raw} thành số hệ 60 ({value}), ở đây cần văn bản; hãy viết trong dấu nháy: "{raw}"',
        "en": "YAML 1.1 reads {raw} as a base-60 number ({value}), but text is expected here; "
        'write it in quotes: "{raw}"',
    },
    "kb.yaml_float": {
        "vi": 'YAML đọc {raw} thành số thập phân {value}, ở đây cần văn bản; hãy viết trong dấu nháy: "{raw}"',
        "en": 'YAML reads {raw} as the decimal number {value}, but text is expected here; write it in quotes: "{raw}"',
    },
    "kb.yaml_date": {
        "vi": 'YAML đọc {raw} thành ngày tháng, ở đây cần văn bản; hãy viết trong dấu nháy: "{raw}"',
        "en": 'YAML reads {raw} as a date, but text is expected here; write it in quotes: "{raw}"',
    },
    "kb.impossible_date": {
        "vi": 'ngày "{value}" không có trên lịch',
        "en": '"{value}" is not a real calendar day',
    },
    "kb.bad_date": {
        "vi": 'cần một ngày dạng YYYY-MM-DD (ví dụ "2020-04-01"), gặp "{value}"',
        "en": 'expected a date YYYY-MM-DD (e.g. "2020-04-01"), found "{value}"',
    },
    "kb.bad_id": {
        "vi": 'mã "{value}" phải viết kiểu kebab-case: chữ thường không dấu và số, nối bằng dấu gạch ngang '
        "(ví dụ aic-emeeting)",
        "en": 'id "{value}" must be kebab-case: lower-case ASCII letters and digits joined by hyphens '
        "(e.g. aic-emeeting)",
    },
    "kb.bad_rule_id": {
        "vi": 'mã quy tắc "{value}" phải viết kiểu kebab-case, bắt đầu bằng mục của Công văn (ví dụ 2.1.a-capacity)',
        "en": 'rule id "{value}" must be kebab-case, starting with the letter\'s section (e.g. 2.1.a-capacity)',
    },
    "kb.bad_url": {
        "vi": 'địa chỉ "{value}" phải bắt đầu bằng http:// hoặc https:// và có tên máy chủ',
        "en": 'address "{value}" must start with http:// or https:// and name a host',
    },
    "kb.unknown_section": {
        "vi": 'mục "{value}" không có trong Công văn; các mục: {sections}',
        "en": 'section "{value}" is not a section of the letter; sections: {sections}',
    },
    "kb.missing_id": {
        "vi": 'thiếu {what} "{id}": công cụ và các kịch bản dựa vào mã này (mã công khai), đừng xóa nó',
        "en": 'missing {what} "{id}": the tool and scripts rely on this public id; do not remove it',
    },
    # ---- layers (knowledge/layers.py, knowledge/merge.py; docs/layers.md) ----------------------
    "kb.unknown_base": {
        "vi": 'tầng này dựa trên "{extends}", nhưng không đọc được tệp đó ({reason}); '
        '"extends" phải là builtin hoặc đường dẫn của một tệp, tính từ thư mục của tầng',
        "en": 'this layer extends "{extends}", which cannot be read ({reason}); '
        '"extends" must be builtin or the path of a file, relative to the layer\'s folder',
    },
    "kb.base_not_in_stack": {
        "vi": 'tầng này dựa trên "{extends}", không có trong chồng đã cho ({stack}); '
        'hãy cho tệp đó trước bằng --data, hoặc sửa "extends"',
        "en": 'this layer extends "{extends}", which is not in the stack given ({stack}); '
        'give that file first with --data, or correct "extends"',
    },
    "kb.base_cycle": {
        "vi": 'chuỗi "extends" từ "{extends}" quay vòng hoặc dài quá {limit} tệp',
        "en": 'the chain of "extends" from "{extends}" goes round in a circle or is longer than {limit} files',
    },
    "kb.builtin_not_first": {
        "vi": "--data builtin (bản có sẵn) chỉ được đứng đầu chồng",
        "en": "--data builtin (the built-in file) can only come first in the stack",
    },
    "kb.not_a_layer": {
        "vi": 'tệp này không có "layer:" nên là một cơ sở tri thức đầy đủ; chỉ tệp --data đầu tiên '
        'được là cơ sở đầy đủ, các tệp sau phải là tầng (có "layer:" với name, extends, date)',
        "en": 'this file has no "layer:", so it is a full knowledge base; only the first --data file may '
        'be one, the later ones must be layers ("layer:" with name, extends, date)',
    },
    "kb.removed_in_use": {
        "vi": '{what} "{id}" bị gỡ ở đây nhưng vẫn được nhắc tới ở {where}; hãy thay hoặc gỡ cả mục đó',
        "en": '{what} "{id}" is removed here but still named by {where}; replace or remove that entry too',
    },
    "kb.removed_required": {
        "vi": '{what} "{id}" bị gỡ ở đây nhưng công cụ cần mã này (chỗ cần: {where})',
        "en": '{what} "{id}" is removed here but the tool needs this id (needed at {where})',
    },
    "kb.removed_and_given": {
        "vi": '{what} "{id}" vừa bị gỡ vừa được cho lại trong cùng tầng này; hãy chọn một',
        "en": '{what} "{id}" is both removed and given again in this same layer; choose one',
    },
    "kb.nothing_to_remove": {
        "vi": 'không có {what} "{id}" để gỡ trong các tệp bên dưới tầng này; có: {choices}',
        "en": 'there is no {what} "{id}" to remove in the files below this layer; there are: {choices}',
    },
    "kb.layer_conflict": {
        "vi": '{what} "{id}" cũng được tầng "{other}" thay hoặc gỡ ({where}); tầng sau thắng: mục ở đây được dùng',
        "en": '{what} "{id}" is also replaced or removed by layer "{other}" ({where}); the later layer wins: '
        "this entry is used",
    },
    "kb.removed_by": {
        "vi": '{what} "{id}" đã bị tầng "{layer}" ({path}) gỡ khỏi cơ sở tri thức',
        "en": '{what} "{id}" was removed from the knowledge base by layer "{layer}" ({path})',
    },
    "kb.duplicate_id": {
        "vi": 'mã {what} "{id}" bị trùng (đã có ở dòng {line})',
        "en": 'duplicate {what} id "{id}" (first at line {line})',
    },
    "kb.unknown_reference": {
        "vi": 'không có {what} "{value}" trong cơ sở tri thức{hint}; có: {choices}',
        "en": 'no {what} "{value}" in the knowledge base{hint}; there are: {choices}',
    },
    "kb.phone_digits": {
        "vi": 'số điện thoại "{value}" chỉ được gồm chữ số, không dấu cách, dấu chấm hay dấu +',
        "en": 'phone number "{value}" must be digits only, without spaces, dots or +',
    },
    "kb.invalid_phone": {
        "vi": '"{value}" không phải số điện thoại Việt Nam hợp lệ',
        "en": '"{value}" is not a valid Vietnamese phone number',
    },
    "kb.unquoted_phone": {
        "vi": "số điện thoại {raw} chưa đặt trong dấu nháy: trình soạn thảo và công cụ YAML 1.2 đọc nó thành số "
        'và mất số 0 ở đầu; hãy viết "{raw}"',
        "en": "phone number {raw} is not in quotes: editors and YAML 1.2 tools read it as a number and drop the "
        'leading zero; write "{raw}"',
    },
    "kb.unused_contact": {
        "vi": 'người liên hệ "{id}" không được công cụ nào dùng',
        "en": 'contact "{id}" is not used by any tool',
    },
    "kb.no_contact": {
        "vi": 'hệ thống họp "{id}" không có người liên hệ hỗ trợ',
        "en": 'meeting system "{id}" has no support contact',
    },
    "kb.notice_without_title": {
        "vi": 'thông báo "{id}" không có "title" (dạng ngắn, một dòng), nên kết quả in cả đoạn văn của thông báo',
        "en": 'notice "{id}" has no "title" (its short, one-line form), so the output prints its whole text',
    },
    "kb.tool_without_task": {
        "vi": 'không có quy tắc "tasks" nào nêu công cụ "{id}", nên công cụ này không bao giờ được khuyến nghị',
        "en": 'no "tasks" rule names the tool "{id}", so it can never be recommended',
    },
    "kb.public_app_without_sensitivity": {
        "vi": 'không có quy tắc "sensitivity" nào viết riêng cho ứng dụng công cộng "{id}": ứng dụng này sẽ được '
        "khuyến nghị cả cho nội dung có tính chất nội bộ, trái mục 2.3 của Công văn "
        "(dùng tools: {{category: public-app}})",
        "en": 'no "sensitivity" rule is written for the public app "{id}": it would be recommended for internal '
        "content too, against section 2.3 of the letter (use tools: {{category: public-app}})",
    },
    "kb.missing_translation": {
        "vi": 'có tiếng Việt ("{vi}") nhưng thiếu tiếng Anh (en)',
        "en": 'Vietnamese text ("{vi}") without English (en)',
    },
    "kind.contact": {"vi": "người liên hệ", "en": "contact"},
    "kind.rule": {"vi": "quy tắc", "en": "rule"},
    "kind.notice": {"vi": "thông báo", "en": "notice"},
    "kind.source": {"vi": "nguồn", "en": "source"},
    "kind.tool_or_section": {"vi": "công cụ hay mục của Công văn", "en": "tool or letter section"},
    # ---- knowledge-base commands (cli/browse.py): validate, schema, tools, contacts, roles, tasks
    "help.validate": {
        "vi": "Kiểm tra một tệp cơ sở tri thức (mặc định: tệp đang dùng) và in mọi lỗi, mỗi lỗi một dòng "
        "dạng ĐƯỜNG-DẪN:DÒNG:CỘT: MÃ thông báo. Ví dụ: gialai-remote validate data/guidance.yaml",
        "en": "Check a knowledge-base file (default: the one in use) and print every problem, one per line, "
        "as PATH:LINE:COLUMN: CODE message. Example: gialai-remote validate data/guidance.yaml",
    },
    "help.validate.epilog": {
        "vi": "Mã thoát: 0 không có lỗi (chỉ có cảnh báo vẫn là 0); 1 có lỗi; 2 lỗi cách dùng; 3 không đọc được tệp.",
        "en": "Exit codes: 0 no errors (warnings alone still 0); 1 errors found; 2 usage error; "
        "3 the file cannot be read.",
    },
    "help.arg.validate_path": {
        "vi": "Tệp YAML cần kiểm tra; mặc định là tệp của --data, GIALAI_REMOTE_DATA hoặc bản có sẵn.",
        "en": "The YAML file to check; by default the one --data, GIALAI_REMOTE_DATA or the built-in names.",
    },
    "help.schema": {
        "vi": "In JSON Schema của một định dạng (mặc định: knowledge-base, định dạng của guidance.yaml). "
        "Ví dụ: gialai-remote schema knowledge-base > knowledge-base.schema.json",
        "en": "Print the JSON Schema of a format (default: knowledge-base, the format of guidance.yaml). "
        "Example: gialai-remote schema knowledge-base > knowledge-base.schema.json",
    },
    "help.schema.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 không có lược đồ tên đó.",
        "en": "Exit codes: 0 printed; 2 no schema of that name.",
    },
    "help.arg.schema_name": {"vi": "Tên lược đồ.", "en": "The schema's name."},
    "error.bad_schema_name": {
        "vi": 'Không có lược đồ "{value}"; chọn một trong: {choices}.',
        "en": 'No schema "{value}"; choose one of: {choices}.',
    },
    "help.layer": {
        "vi": 'Tầng riêng của đơn vị đặt lên cơ sở tri thức có sẵn; "layer init PATH" tạo một tầng mẫu. '
        "Ví dụ: gialai-remote layer init co-quan-toi.yaml",
        "en": 'An agency\'s own layer on top of the built-in knowledge base; "layer init PATH" writes a '
        "sample one. Example: gialai-remote layer init my-agency.yaml",
    },
    "help.layer.init": {
        "vi": "Tạo một tệp tầng nhỏ, có chú thích, với một người liên hệ mẫu; không bao giờ ghi đè tệp "
        'đã có. Ví dụ: gialai-remote layer init co-quan-toi.yaml --name "Sở KH&CN Gia Lai"',
        "en": "Write a small, commented layer file with one example contact; never over an existing "
        'file. Example: gialai-remote layer init my-agency.yaml --name "Gia Lai DoST"',
    },
    "help.layer.init.epilog": {
        "vi": "Sau đó: sửa tệp, gialai-remote validate TỆP, rồi gialai-remote --data TỆP recommend ... "
        "(xem docs/layers.md).",
        "en": "Then: edit the file, gialai-remote validate FILE, then gialai-remote --data FILE recommend ... "
        "(see docs/layers.md).",
    },
    "help.arg.layer_path": {"vi": "Tệp tầng sẽ tạo (chưa được có).", "en": "The layer file to write (must not exist)."},
    "help.opt.layer_name": {
        "vi": 'Tên của tầng, thường là tên đơn vị (mặc định: "Tầng của đơn vị").',
        "en": "The layer's name, usually the agency's (default: \"Agency layer\").",
    },
    "error.layer_path": {
        "vi": "Hãy cho tên tệp của tầng sẽ tạo (không phải thư mục, không phải -): gialai-remote layer init TỆP.",
        "en": "The layer needs the name of a file to write (not a folder, not -): gialai-remote layer init FILE.",
    },
    "error.layer_exists": {
        "vi": 'Tệp "{path}" đã có; layer init không ghi đè. Hãy chọn tên khác, hoặc sửa chính tệp đó.',
        "en": 'File "{path}" already exists; layer init never overwrites. Choose another name, or edit that file.',
    },
    "contact.per_letter": {"vi": "theo Công văn, {year}", "en": "per the letter, {year}"},
    "contact.verified": {"vi": "xác minh ngày {date}", "en": "verified on {date}"},
    "contact.verified_by": {"vi": "xác minh ngày {date}, {who}", "en": "verified on {date}, {who}"},
    "layer.default_name": {"vi": "Tầng của đơn vị", "en": "Agency layer"},
    "layer.template": {
        "vi": """# Tầng riêng của đơn vị cho gialai-remote (docs/layers.md).
# Tệp này chỉ ghi những gì đơn vị thay đổi; phần còn lại lấy từ bản có sẵn (Công văn
# 415/STTTT-CNTT), nên các bản sửa của bản có sẵn vẫn đến khi nâng cấp công cụ.
# Kiểm tra sau mỗi lần sửa:   gialai-remote validate TỆP-NÀY
# Dùng:                       gialai-remote --data TỆP-NÀY recommend ...
#                             (hoặc đặt biến GIALAI_REMOTE_DATA=TỆP-NÀY)
layer:
  name: "{name}"          # tên tầng, hiện trong --version và cạnh mỗi số điện thoại của tầng
  extends: builtin        # đặt lên bản có sẵn (hoặc đường dẫn một tệp khác, tính từ thư mục này)
  date: "{date}"          # ngày của tầng, trong dấu nháy

# Người liên hệ: mã mới thì thêm; mã đã có (vd. le-van-hai) thì thay cả mục đó.
# "tools:" gắn người liên hệ vào các công cụ, sau người liên hệ của công cụ.
# Số điện thoại chỉ gồm chữ số, trong dấu nháy. Ví dụ dưới đây: hãy thay bằng số thật.
contacts:
  - id: tong-dai-ho-tro
    section: "2.2.b"
    name: Tổng đài hỗ trợ họp trực tuyến
    organization: {{vi: Bộ phận Công nghệ thông tin của đơn vị, en: The agency's IT unit}}
    phone: "02693822555"
    verified_on: "{date}"   # ngày đơn vị gọi xác nhận số này, trong dấu nháy
    tools: [aic-emeeting]

# Gỡ một mục của bản có sẵn, ví dụ một ứng dụng công cộng đơn vị không cho dùng:
# remove:
#   tools: [zalo]
""",
        "en": """# An agency's own layer for gialai-remote (docs/layers.md).
# This file holds only what the agency changes; the rest comes from the built-in file (letter
# 415/STTTT-CNTT), so the built-in file's fixes still arrive when the tool is upgraded.
# Check it after every change:   gialai-remote validate THIS-FILE
# Use it:                        gialai-remote --data THIS-FILE recommend ...
#                                (or set GIALAI_REMOTE_DATA=THIS-FILE)
layer:
  name: "{name}"          # the layer's name, shown by --version and next to each of its numbers
  extends: builtin        # on top of the built-in file (or the path of another file, from this folder)
  date: "{date}"          # the layer's date, in quotes

# Contacts: a new id adds one; an existing id (e.g. le-van-hai) replaces that whole entry.
# "tools:" attaches the contact to those tools, after the tool's own contacts.
# Phone numbers: digits only, in quotes. The example below: replace it with a real number.
contacts:
  - id: support-hotline
    section: "2.2.b"
    name: Online meeting support line
    organization: {{vi: Bộ phận Công nghệ thông tin của đơn vị, en: The agency's IT unit}}
    phone: "02693822555"
    verified_on: "{date}"   # the day the agency called to confirm this number, in quotes
    tools: [aic-emeeting]

# Remove an entry of the built-in file, for example a public app the agency forbids:
# remove:
#   tools: [zalo]
""",
    },
    "help.tools": {
        "vi": 'Liệt kê các công cụ của Công văn; "tools show ID" cho biết mọi điều về một công cụ. '
        "Ví dụ: gialai-remote tools show aic-emeeting",
        "en": 'List the letter\'s tools; "tools show ID" tells everything about one. '
        "Example: gialai-remote tools show aic-emeeting",
    },
    "help.tools.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 lỗi cách dùng; 3 cơ sở tri thức hỏng.",
        "en": "Exit codes: 0 printed; 2 usage error; 3 broken knowledge base.",
    },
    "help.tools.show": {
        "vi": "Mọi điều về một công cụ: ai được dùng, dùng cho việc gì, tối đa bao nhiêu người, mức độ nội dung, "
        "thiết bị, cách cài đặt, người hỗ trợ, mục của Công văn và thông báo mới. "
        "Ví dụ: gialai-remote tools show polycom --date 2020-04-15",
        "en": "Everything about one tool: who may use it, for what, for how many people, which content, "
        "platforms, setup steps, contacts, the letter's section and later notices. "
        "Example: gialai-remote tools show polycom --date 2020-04-15",
    },
    "help.tools.show.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 lỗi cách dùng (kể cả công cụ không có); 3 cơ sở tri thức hỏng; 130 bị ngắt.",
        "en": "Exit codes: 0 printed; 2 usage error (including an unknown tool); 3 broken knowledge base; "
        "130 interrupted.",
    },
    "help.arg.tool_id": {
        "vi": "Công cụ, ví dụ polycom, aic-emeeting, zalo (gõ gần đúng cũng được).",
        "en": "The tool, e.g. polycom, aic-emeeting, zalo (close spellings work).",
    },
    "help.contacts": {
        "vi": "Người liên hệ hỗ trợ mà Công văn nêu, kèm số điện thoại và công cụ họ hỗ trợ. "
        "Ví dụ: gialai-remote contacts --tool polycom",
        "en": "The support contacts the letter names, with phone numbers and the tools they support. "
        "Example: gialai-remote contacts --tool polycom",
    },
    "help.contacts.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 lỗi cách dùng; 3 cơ sở tri thức hỏng.",
        "en": "Exit codes: 0 printed; 2 usage error; 3 broken knowledge base.",
    },
    "help.opt.contacts_tool": {
        "vi": "Chỉ người liên hệ của công cụ này, ví dụ polycom.",
        "en": "Only the contacts of this tool, e.g. polycom.",
    },
    "help.notices": {
        "vi": "Các thông báo sau Công văn có hiệu lực vào ngày áp dụng, toàn văn và nguồn: luật, nghị định, "
        "sáp nhập làm thay đổi cách đọc Công văn. Ví dụ: gialai-remote notices --tool polycom",
        "en": "The notices from after the letter in force on the advice date, in full with their sources: the "
        "laws, decrees and mergers that change how the letter reads. Example: gialai-remote notices --tool polycom",
    },
    "help.notices.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 lỗi cách dùng; 3 cơ sở tri thức hỏng.",
        "en": "Exit codes: 0 printed; 2 usage error; 3 broken knowledge base.",
    },
    "help.opt.notices_tool": {
        "vi": "Chỉ các thông báo liên quan đến công cụ này, ví dụ polycom.",
        "en": "Only the notices that bear on this tool, e.g. polycom.",
    },
    "browse.no_notices": {
        "vi": "Không có thông báo nào sau Công văn có hiệu lực vào ngày {date}.",
        "en": "No notice from after the letter is in force on {date}.",
    },
    "help.roles": {
        "vi": "Các vai trò Công văn nêu (dùng với --role). Ví dụ: gialai-remote roles --format json",
        "en": "The roles the letter names (for --role). Example: gialai-remote roles --format json",
    },
    "help.tasks": {
        "vi": "Các công việc Công văn nêu (dùng với --task) và công cụ phục vụ từng việc. Ví dụ: gialai-remote tasks",
        "en": "The tasks the letter names (for --task) and the tools that serve each. Example: gialai-remote tasks",
    },
    "help.browse.epilog": {
        "vi": "Mã thoát: 0 đã in; 2 lỗi cách dùng; 3 cơ sở tri thức hỏng.",
        "en": "Exit codes: 0 printed; 2 usage error; 3 broken knowledge base.",
    },
    "browse.none": {"vi": "(không có)", "en": "(none)"},
    "browse.category.official": {"vi": "hệ thống chính thức", "en": "official system"},
    "browse.category.public-app": {"vi": "ứng dụng công cộng", "en": "public app"},
    "browse.who": {"vi": "Ai được dùng:", "en": "Who may use it:"},
    "browse.tasks": {"vi": "Dùng cho:", "en": "Used for:"},
    "browse.capacity": {"vi": "Tối đa:", "en": "At most:"},
    "browse.people": {"vi": "{count} người", "en": "{count} people"},
    "browse.sensitivity": {"vi": "Mức độ nội dung được phép:", "en": "Content it may carry:"},
    "browse.platforms": {"vi": "Thiết bị:", "en": "Platforms:"},
    "browse.offer": {"vi": "Công văn khuyến nghị đến hết ngày:", "en": "Recommended by the letter until:"},
    "browse.needs": {"vi": "Cần có:", "en": "Needs:"},
    "browse.operator": {"vi": "Đơn vị cung cấp:", "en": "Provided by:"},
    "browse.app": {"vi": "Ứng dụng:", "en": "App:"},
    "browse.server_url": {"vi": "URL máy chủ:", "en": "Server URL:"},
    "browse.bridge_points": {"vi": "Số điểm cầu cấp huyện:", "en": "District-level bridge points:"},
    "browse.aliases": {"vi": "Cách gọi khác:", "en": "Also called:"},
    "browse.notes": {"vi": "Ghi chú:", "en": "Notes:"},
    "browse.rules": {"vi": "Quy tắc của Công văn:", "en": "Rules of the letter:"},
    "browse.tools_using": {"vi": "công cụ: {tools}", "en": "tools: {tools}"},
}
