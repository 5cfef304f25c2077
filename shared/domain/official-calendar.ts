import y2004 from '../../data/calendar/2004.json' with { type: 'json' };
import y2005 from '../../data/calendar/2005.json' with { type: 'json' };
import y2006 from '../../data/calendar/2006.json' with { type: 'json' };
import y2007 from '../../data/calendar/2007.json' with { type: 'json' };
import y2008 from '../../data/calendar/2008.json' with { type: 'json' };
import y2009 from '../../data/calendar/2009.json' with { type: 'json' };
import y2010 from '../../data/calendar/2010.json' with { type: 'json' };
import y2011 from '../../data/calendar/2011.json' with { type: 'json' };
import y2012 from '../../data/calendar/2012.json' with { type: 'json' };
import y2013 from '../../data/calendar/2013.json' with { type: 'json' };
import y2014 from '../../data/calendar/2014.json' with { type: 'json' };
import y2015 from '../../data/calendar/2015.json' with { type: 'json' };
import y2016 from '../../data/calendar/2016.json' with { type: 'json' };
import y2017 from '../../data/calendar/2017.json' with { type: 'json' };
import y2018 from '../../data/calendar/2018.json' with { type: 'json' };
import y2019 from '../../data/calendar/2019.json' with { type: 'json' };
import y2020 from '../../data/calendar/2020.json' with { type: 'json' };
import y2021 from '../../data/calendar/2021.json' with { type: 'json' };
import y2022 from '../../data/calendar/2022.json' with { type: 'json' };
import y2023 from '../../data/calendar/2023.json' with { type: 'json' };
import y2024 from '../../data/calendar/2024.json' with { type: 'json' };
import y2025 from '../../data/calendar/2025.json' with { type: 'json' };
import y2026 from '../../data/calendar/2026.json' with { type: 'json' };

/**
 * The State Council's holiday schedule, one validated file per year in `data/calendar/` (docs/calendar.md:
 * the format and the steps to add a year). A file in the folder that is not listed here fails the calendar
 * files test, so a year cannot be added half-way.
 */
export const OFFICIAL_CALENDAR_FILES: readonly unknown[] = [
  y2004,
  y2005,
  y2006,
  y2007,
  y2008,
  y2009,
  y2010,
  y2011,
  y2012,
  y2013,
  y2014,
  y2015,
  y2016,
  y2017,
  y2018,
  y2019,
  y2020,
  y2021,
  y2022,
  y2023,
  y2024,
  y2025,
  y2026,
];
